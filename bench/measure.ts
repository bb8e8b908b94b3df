/** Timing helpers for the benches: medians of repeated runs, and a compact table printer. */

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2
}

/** Median wall time in ms of `fn` over `runs` runs, after one warm-up run. */
export function timeMedian(fn: () => unknown, runs = 7): number {
  fn()
  const t: number[] = []
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now()
    fn()
    t.push(performance.now() - t0)
  }
  return median(t)
}

/** `global.gc` when node runs with --expose-gc (`npm run bench` does), else undefined. */
export const gc: (() => void) | undefined = (globalThis as { gc?: () => void }).gc

/**
 * Median ms per call of each of `fns`, measured interleaved — run 1 of every fn, then run 2… — so a
 * slow moment of the machine weighs on all of them alike. Each fn is warmed up first (the JIT
 * compiles it). Before every sample the heap is collected when gc is exposed, so no sample pays for
 * the garbage of another; the result of each fn's previous sample stays referenced through that
 * collection, as an app keeps the records it parsed — with none alive, V8 would drop the record
 * classes' hidden classes at each collection and throw away the parser's optimised code, and every
 * sample would time the JIT's warm-up instead of the parser. A sample calls its fn `reps` times
 * (for inputs so small that one call is near the timer's resolution) and counts the mean.
 */
export function interleavedMedians(fns: (() => unknown)[], opts: { runs: number; reps?: number; warmup?: number }): { ms: number[]; held: unknown[] } {
  const reps = opts.reps ?? 1
  const held: unknown[] = fns.map(() => undefined)
  for (let k = 0; k < fns.length; k++) for (let i = 0; i < (opts.warmup ?? 3) * reps; i++) held[k] = (fns[k] as () => unknown)()
  const samples: number[][] = fns.map(() => [])
  for (let r = 0; r < opts.runs; r++) {
    for (let k = 0; k < fns.length; k++) {
      const fn = fns[k] as () => unknown
      gc?.()
      let last: unknown
      const t0 = performance.now()
      for (let i = 0; i < reps; i++) last = fn()
      ;(samples[k] as number[]).push((performance.now() - t0) / reps)
      held[k] = last
    }
  }
  return { ms: samples.map(median), held }
}

export const mb = (bytes: number) => bytes / (1024 * 1024)

export function table(head: string[], rows: (string | number)[][]): string {
  const cells = [head, ...rows.map((r) => r.map(String))]
  const widths = head.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)))
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ')
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...cells.slice(1).map(line)].join('\n')
}
