/**
 * A strict IPv6 text check (RFC 4291 §2.2 forms): eight hex groups of 1–4 digits, one `::` at most
 * standing for one or more zero groups, and an optional dotted IPv4 tail counting as two groups.
 * The capture schema uses it to tell a real IPv6 address (valid input the engine does not walk
 * yet) from a typo; parsers keep their looser check since they only need to skip such lines.
 */
import { isIPv4 } from './ipv4'

const GROUP = /^[0-9a-fA-F]{1,4}$/

function groupCount(part: string, last: boolean): number | undefined {
  if (part === '') return 0
  const groups = part.split(':')
  let n = 0
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i] as string
    if (last && i === groups.length - 1 && g.includes('.')) {
      if (!isIPv4(g)) return undefined
      n += 2
    } else if (GROUP.test(g)) {
      n++
    } else {
      return undefined
    }
  }
  return n
}

export function isIPv6Strict(s: string): boolean {
  if (s.length < 2 || s.length > 45) return false
  const dbl = s.indexOf('::')
  if (dbl === -1) return groupCount(s, true) === 8
  if (s.indexOf('::', dbl + 1) !== -1) return false
  const head = groupCount(s.slice(0, dbl), false)
  const tail = groupCount(s.slice(dbl + 2), true)
  return head !== undefined && tail !== undefined && head + tail <= 7
}

/** An address as the capture format accepts it: dotted IPv4 or IPv6 text. */
export function isIpAddress(s: string): boolean {
  return isIPv4(s) || isIPv6Strict(s)
}
