/**
 * IPv4 addresses and prefixes as 32-bit unsigned integers: parsing, containment, longest prefix
 * match. The engine answers "which route does 1.0.0.1 take" with these, so they accept exactly
 * the text forms routing tables print (`10.244.0.128/25`, `default`, a bare host address) and
 * reject anything else rather than guess.
 */

/** An IPv4 prefix: `network` is already masked, so `10.0.0.7/24` becomes 10.0.0.0/24. */
export interface Cidr {
  network: number
  prefixLength: number
}

/** `10.244.0.213` → 0x0af400d5; anything that is not a dotted quad with octets 0–255 → undefined. */
export function parseIPv4(s: string): number | undefined {
  const n = s.length
  if (n < 7 || n > 15) return undefined
  let value = 0
  let octet = 0
  let digits = 0
  let dots = 0
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i)
    if (c === 46) {
      if (digits === 0) return undefined
      value = value * 256 + octet
      octet = 0
      digits = 0
      dots++
      if (dots > 3) return undefined
    } else if (c >= 48 && c <= 57) {
      // a leading zero followed by more digits is octal in some tools: refuse it
      if (digits === 1 && octet === 0) return undefined
      octet = octet * 10 + (c - 48)
      digits++
      if (octet > 255) return undefined
    } else {
      return undefined
    }
  }
  if (dots !== 3 || digits === 0) return undefined
  return value * 256 + octet
}

export function isIPv4(s: string): boolean {
  return parseIPv4(s) !== undefined
}

export function formatIPv4(v: number): string {
  return `${(v >>> 24) & 255}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`
}

/** The netmask of a prefix length as an unsigned 32-bit integer (0 for /0). */
export function prefixMask(prefixLength: number): number {
  return prefixLength === 0 ? 0 : (0xffffffff << (32 - prefixLength)) >>> 0
}

/** `255.255.255.128` → 25. A mask whose ones are not contiguous (or not an address) → undefined. */
export function netmaskToPrefixLength(mask: string): number | undefined {
  const v = parseIPv4(mask)
  return v === undefined ? undefined : maskIntToPrefixLength(v)
}

/** 0xffffff80 → 25; a non-contiguous mask → undefined. */
export function maskIntToPrefixLength(v: number): number | undefined {
  const inv = ~v >>> 0
  // contiguous ones then zeros ⇔ the inverted mask is 2^k − 1
  if ((inv & (inv + 1)) !== 0) return undefined
  return Math.clz32(inv)
}

/** `10.244.0.128/25`, `10.244.0.148` (a host, /32) or `default` (0.0.0.0/0) → Cidr; else undefined. */
export function parseCidr(s: string): Cidr | undefined {
  const t = s.trim()
  if (t === 'default') return { network: 0, prefixLength: 0 }
  const slash = t.indexOf('/')
  const ip = parseIPv4(slash === -1 ? t : t.slice(0, slash))
  if (ip === undefined) return undefined
  let prefixLength = 32
  if (slash !== -1) {
    const lenText = t.slice(slash + 1)
    if (!/^\d{1,2}$/.test(lenText)) return undefined
    prefixLength = Number(lenText)
    if (prefixLength > 32) return undefined
  }
  return { network: (ip & prefixMask(prefixLength)) >>> 0, prefixLength }
}

/** `10.244.0.0` + `255.255.255.128` (route -n columns) → 10.244.0.0/25; undefined if either is bad. */
export function cidrFromNetmask(destination: string, netmask: string): Cidr | undefined {
  const ip = parseIPv4(destination)
  const len = netmaskToPrefixLength(netmask)
  if (ip === undefined || len === undefined) return undefined
  return { network: (ip & prefixMask(len)) >>> 0, prefixLength: len }
}

export function formatCidr(c: Cidr): string {
  return `${formatIPv4(c.network)}/${c.prefixLength}`
}

/** True when `ip` (text or integer) lies inside `cidr` (text or parsed). Bad input → false. */
export function cidrContains(cidr: Cidr | string, ip: number | string): boolean {
  const c = typeof cidr === 'string' ? parseCidr(cidr) : cidr
  const v = typeof ip === 'string' ? parseIPv4(ip) : ip
  if (!c || v === undefined) return false
  return ((v & prefixMask(c.prefixLength)) >>> 0) === c.network
}

/**
 * The entry whose prefix contains `ip` with the longest prefix length. Ties keep the entry with
 * the lowest `metric` (the kernel's choice among equal prefixes), then the first one listed.
 * Entries whose prefix does not parse are ignored.
 */
export function longestPrefixMatch<T>(
  entries: readonly T[],
  prefixOf: (e: T) => string | Cidr | undefined,
  ip: string | number,
  metricOf?: (e: T) => number | undefined,
): T | undefined {
  const v = typeof ip === 'string' ? parseIPv4(ip) : ip
  if (v === undefined) return undefined
  let best: T | undefined
  let bestLen = -1
  let bestMetric = Infinity
  for (const e of entries) {
    const p = prefixOf(e)
    const c = typeof p === 'string' ? parseCidr(p) : p
    if (!c || c.prefixLength < bestLen) continue
    if (((v & prefixMask(c.prefixLength)) >>> 0) !== c.network) continue
    const metric = metricOf?.(e) ?? 0
    if (c.prefixLength > bestLen || metric < bestMetric) {
      best = e
      bestLen = c.prefixLength
      bestMetric = metric
    }
  }
  return best
}

/** True when two prefixes share at least one address. */
export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  const len = Math.min(a.prefixLength, b.prefixLength)
  const m = prefixMask(len)
  return ((a.network & m) >>> 0) === ((b.network & m) >>> 0)
}
