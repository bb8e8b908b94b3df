/**
 * Index arithmetic over one line, for the parsers that face 100k-line inputs (iptables-save,
 * conntrack tables): reading a word is two integers, and only the values a record keeps are
 * ever sliced out of the line.
 */

/** First index ≥ i that is not a space or tab (s.length at the end). */
export function skipBlanks(s: string, i: number): number {
  const n = s.length
  while (i < n) {
    const c = s.charCodeAt(i)
    if (c !== 32 && c !== 9) return i
    i++
  }
  return n
}

/** First index ≥ i that is a space or tab (s.length at the end). */
export function wordEnd(s: string, i: number): number {
  const n = s.length
  while (i < n) {
    const c = s.charCodeAt(i)
    if (c === 32 || c === 9) return i
    i++
  }
  return n
}

/** Decimal digits of s[start, end) as a number; undefined when empty, too long or not digits. */
export function uintAt(s: string, start: number, end: number): number | undefined {
  if (end <= start || end - start > 15) return undefined
  let v = 0
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i) - 48
    if (c < 0 || c > 9) return undefined
    v = v * 10 + c
  }
  return v
}

/**
 * End of the word at i when words are separated by single spaces (values inside one `key=value`
 * list): a native search instead of a character loop.
 */
export function spaceAfter(s: string, i: number): number {
  const e = s.indexOf(' ', i)
  return e === -1 ? s.length : e
}
