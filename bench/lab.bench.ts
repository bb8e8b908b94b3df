/**
 * Lab cycle time: `up --scenario all`, a capture of every scenario request and reply, `down`
 * (issue 8's target: < 30 s on a 2-core machine), against a baseline in the same process: the
 * one-scenario cycle (up egress, capture it both ways, down). Wall time depends on what else the
 * machine runs, so the CPU time of the lab's child processes (cutime + cstime of /proc/self/stat)
 * and the load average are printed too. Needs root; otherwise prints "skipped".
 */
import { readFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { captureLab, down, up, type LabOptions } from '@/server/lab/lab'
import { SCENARIO, SCENARIOS } from '@/server/lab/scenarios'

const TARGET_MS = 30_000
const TICKS_PER_S = 100

/** CPU seconds of this process's waited-for children (every command the lab ran). */
function childCpuS(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  // fields[0] is field 3 (state): cutime and cstime are fields 16 and 17
  return (Number(fields[13]) + Number(fields[14])) / TICKS_PER_S
}

async function cycle(o: LabOptions, all: boolean): Promise<{ ms: number; cpuS: number; captures: number }> {
  const t = performance.now()
  const cpu = childCpuS()
  let captures = 0
  try {
    const u = await up({ ...o, scenario: all ? 'all' : 'egress' })
    for (const s of all ? SCENARIOS : (['egress'] as const)) {
      if (u.unsupported[SCENARIO[s].routing]) continue
      for (const reply of [false, true]) {
        await captureLab({ ...o, scenario: s, reply })
        captures++
      }
    }
  } finally {
    await down(o)
  }
  return { ms: performance.now() - t, cpuS: childCpuS() - cpu, captures }
}

export default async function run(): Promise<void> {
  if (process.getuid?.() !== 0) {
    console.log('lab: skipped: needs root for the lab')
    return
  }
  const o: LabOptions = { prefix: `${process.env.PW_LAB_PREFIX ?? 'pw'}b`.slice(0, 8), serverLifetimeSec: 300 }
  const load = () => loadavg()[0]?.toFixed(1)
  const base = await cycle(o, false)
  console.log(`  baseline (up egress, ${base.captures} captures, down): ${base.ms.toFixed(0)} ms wall, ${base.cpuS.toFixed(1)} s CPU in child processes, load ${load()}`)
  const full = await cycle(o, true)
  console.log(`  all scenarios (up all, ${full.captures} captures, down): ${full.ms.toFixed(0)} ms wall, ${full.cpuS.toFixed(1)} s CPU in child processes, load ${load()}`)
  console.log(`  ratio all / baseline: ${(full.ms / base.ms).toFixed(1)}× wall, ${(full.cpuS / Math.max(base.cpuS, 0.01)).toFixed(1)}× CPU`)
  console.log(`  target all < ${TARGET_MS} ms: ${full.ms < TARGET_MS ? 'met' : 'MISSED'} (${full.ms.toFixed(0)} ms at load ${load()} on this machine)`)
}
