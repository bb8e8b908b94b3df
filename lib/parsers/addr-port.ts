/**
 * `10.0.0.1:80`, `[f00d::1]:80`, `10.96.0.10:53/TCP`, `IP_A:59428` → address, port, protocol.
 * Shared by the Cilium parsers, whose tuples come in all of these spellings across versions.
 * A bare IPv6 address (several colons, no brackets) is kept whole: its last group is not a port.
 */
export interface AddrPort {
  addr: string
  port?: number
  /** `TCP`/`UDP` from a `/TCP` suffix (Cilium ≥1.17 service and LB listings) */
  protocol?: string
}

/** Decimal 0–65535 or undefined; no regex, this runs once per tuple on 100k-line inputs. */
export function parsePort(s: string): number | undefined {
  const n = s.length
  if (n === 0 || n > 5) return undefined
  let v = 0
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i) - 48
    if (c < 0 || c > 9) return undefined
    v = v * 10 + c
  }
  return v <= 65535 ? v : undefined
}

/** Non-negative decimal integer or undefined. */
export function parseUint(s: string | undefined): number | undefined {
  if (s === undefined) return undefined
  const n = s.length
  if (n === 0 || n > 15) return undefined
  let v = 0
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i) - 48
    if (c < 0 || c > 9) return undefined
    v = v * 10 + c
  }
  return v
}

export function splitAddrPort(token: string): AddrPort {
  let s = token
  let protocol: string | undefined
  const slash = s.lastIndexOf('/')
  if (slash > 0) {
    const suffix = s.slice(slash + 1)
    if (/^[A-Za-z]+$/.test(suffix)) {
      protocol = suffix.toUpperCase()
      s = s.slice(0, slash)
    }
  }
  const out: AddrPort = { addr: s }
  if (protocol) out.protocol = protocol
  if (s.charCodeAt(0) === 91 /* [ */) {
    const end = s.indexOf(']')
    if (end > 0) {
      out.addr = s.slice(1, end)
      if (s.charCodeAt(end + 1) === 58 /* : */) {
        const port = parsePort(s.slice(end + 2))
        if (port !== undefined) out.port = port
      }
    }
    return out
  }
  const colon = s.indexOf(':')
  if (colon === -1 || colon !== s.lastIndexOf(':')) return out
  const port = parsePort(s.slice(colon + 1))
  if (port !== undefined) {
    out.addr = s.slice(0, colon)
    out.port = port
  }
  return out
}
