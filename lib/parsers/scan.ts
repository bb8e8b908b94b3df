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

/**
 * True when `word` is in s at i. Written `s.indexOf(word, i) === i` because V8 runs that several
 * times faster than `s.startsWith(word, i)` (measured: ~15 ns against ~150 ns a call); callers
 * check a cheap condition first (first letter, length), so a miss rarely searches far.
 */
export function isAt(s: string, i: number, word: string): boolean {
  // the last letters first: a mismatch is then mostly settled without a search along the line
  const n = word.length
  return s.charCodeAt(i + n - 1) === word.charCodeAt(n - 1) && s.charCodeAt(i) === word.charCodeAt(0) && s.indexOf(word, i) === i
}

/** Decimal digits of s[start, end) as a number, -1 when empty, too long or not digits (no undefined: callers stay monomorphic). */
export function uintOr(s: string, start: number, end: number): number {
  if (end <= start || end - start > 15) return -1
  let v = 0
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i) - 48
    if (c < 0 || c > 9) return -1
    v = v * 10 + c
  }
  return v
}

/** True when s[i] ends a word: a space, a tab or the end of s. */
export function endsAt(s: string, i: number): boolean {
  const c = s.charCodeAt(i)
  return c === 32 || c === 9 || i >= s.length
}

/**
 * `line.trim()` for a line whose first non-blank is at p0: the line itself or a slice of it when
 * its ends are plain characters (almost always), trim() when they are not.
 */
export function trimmedFrom(line: string, p0: number): string {
  const first = line.charCodeAt(p0)
  const last = line.charCodeAt(line.length - 1)
  if (first > 32 && first < 127 && last > 32 && last < 127) return p0 === 0 ? line : line.slice(p0)
  return line.trim()
}

/** `o` without its undefined fields: what a record's toJSON returns (the eager parsers' records had no undefined keys). */
export function withoutUndefined<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k]
  return o
}

/**
 * Gives `rec` its own `key` field: what assigning to a read-on-access field of a record does (the
 * records stay assignable like the plain objects they were, and test diffs can copy them).
 */
export function setOwn(rec: object, key: string, value: unknown): void {
  Object.defineProperty(rec, key, { value, writable: true, enumerable: true, configurable: true })
}
