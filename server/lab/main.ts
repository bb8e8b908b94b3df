/**
 * `npm run lab -- <up|probe|capture|status|down> [options]` (root): the Linux lab that rebuilds
 * the seed's Cilium node from real kernel objects in network namespaces. See docs/lab.md.
 */
import path from 'node:path'
import { captureLab, down, probe, repoRoot, requireRoot, status, up, type LabOptions } from '@/server/lab/lab'
import { progressPrinter, writeCapture } from '@/server/cli/capture'
import { SCENARIO, SCENARIOS, isScenario } from '@/server/lab/scenarios'
import { labNames } from '@/server/lab/topology'

const USAGE = `usage: npm run lab -- <command> [options]   (as root)
  up        build the scenario's two-node cluster: namespaces, veths, tunnel devices, routes,
            iptables rules, BPF programs, TCP servers  [--scenario <name>|all]
  probe     send the scenario's real traffic (TCP request and reply, ping)  [--scenario <name>]
  capture   probe, then capture the plan's commands in every place the packet crosses
            [--scenario <name>] [--reply] [-o file.json]
  demos     up every scenario, capture each both ways into lib/demo/lab-<scenario>[-reply].capture.json,
            then down (what was already up stays up)
  status    what exists now
  down      remove exactly what up made (safe to run twice)
scenarios: ${SCENARIOS.join(', ')} (default egress)
options: --prefix <p> (namespace prefix, default pw), --lifetime <s> (TCP server lifetime, default 1800),
         --reply (capture the reply flow: server → client), -v (print every command),
         -o <file> (capture output; default stdout)`

interface Cli extends LabOptions {
  command?: string
  out?: string
  verbose: boolean
  reply: boolean
}

function parse(args: string[]): Cli | { error: string } {
  const c: Cli = { verbose: false, reply: false }
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string
    if (a === '-v' || a === '--verbose') c.verbose = true
    else if (a === '--prefix') c.prefix = args[++i]
    else if (a === '--reply') c.reply = true
    else if (a === '--scenario') {
      const v = args[++i] ?? ''
      if (v !== 'all' && !isScenario(v)) return { error: `--scenario: one of ${SCENARIOS.join(', ')}, all` }
      c.scenario = v
    }
    else if (a === '-o' || a === '--output') c.out = args[++i]
    else if (a === '--lifetime') {
      const v = Number(args[++i])
      if (!Number.isInteger(v) || v < 10 || v > 86400) return { error: '--lifetime: seconds between 10 and 86400' }
      c.serverLifetimeSec = v
    } else if (!a.startsWith('-') && !c.command) c.command = a
    else return { error: `unknown argument ${JSON.stringify(a)}` }
  }
  return c
}

async function main(args: string[]): Promise<number> {
  const c = parse(args)
  if ('error' in c) {
    process.stderr.write(`lab: ${c.error}\n${USAGE}\n`)
    return 2
  }
  if (!c.command || c.command === 'help' || args.includes('-h') || args.includes('--help')) {
    process.stdout.write(USAGE + '\n')
    return c.command ? 0 : 2
  }
  const log = (l: string) => process.stderr.write(l + '\n')
  const o: LabOptions = { prefix: c.prefix, scenario: c.scenario, serverLifetimeSec: c.serverLifetimeSec, log: c.verbose ? log : undefined }
  if (c.scenario === 'all' && (c.command === 'probe' || c.command === 'capture')) {
    process.stderr.write(`lab: ${c.command} takes one scenario, not all\n`)
    return 2
  }
  const names = labNames(c.prefix)
  switch (c.command) {
    case 'up': {
      requireRoot()
      const r = await up(o)
      if (r.alreadyUp) log(`lab ${names.prefix} is already up for ${c.scenario ?? 'egress'}`)
      else log(`lab ${names.prefix} up in ${r.durationMs} ms (${r.steps} steps): ${r.built.join(', ')} cluster${r.built.length > 1 ? 's' : ''}`)
      for (const reason of Object.values(r.unsupported)) log(`not built: ${reason}`)
      return 0
    }
    case 'down': {
      const r = await down(o)
      log(r.removed.length || r.serverStopped ? `removed ${r.removed.join(', ') || 'no namespace'}${r.serverStopped ? ` and ${r.serversStopped} TCP server(s)` : ''}` : 'nothing to remove')
      return 0
    }
    case 'status': {
      const s = await status(o)
      process.stdout.write(
        [
          `lab ${names.prefix}: ${s.up ? 'up' : s.state ? 'partly up (run down)' : 'down'}`,
          ...s.namespaces.map((n) => `  netns ${n.name}: ${n.exists ? 'present' : 'absent'}`),
          `  clusters: ${s.state?.clusters.join(', ') || 'none'}`,
          `  tcp servers: ${s.serverRunning ? `running (pids ${s.state?.servers.map((x) => x.pid).join(', ')})` : 'not running'}`,
        ].join('\n') + '\n',
      )
      return 0
    }
    case 'probe': {
      const p = await probe(o)
      process.stdout.write(`tcp:  ${(p.tcp.stdout || p.tcp.stderr || p.tcp.error || '').trim()}\nping: ${(p.ping.stdout || p.ping.stderr || p.ping.error || '(none)').trim().split('\n').slice(-2).join(' | ')}\n`)
      for (const x of p.retried) process.stdout.write(`retried: ${x.local} went to ${x.answeredBy}\n`)
      return p.tcp.exitCode === 0 ? 0 : 1
    }
    case 'capture': {
      const { capture, probe: p } = await captureLab({ ...o, reply: c.reply, onProgress: c.verbose ? progressPrinter(process.stderr) : undefined })
      log(`probe: ${p.tcp.stdout.trim()}`)
      const w = writeCapture(capture, c.out)
      if (!w.ok) {
        process.stderr.write(`lab: ${w.error}\n`)
        return 1
      }
      if (c.out) log(`capture written to ${c.out}`)
      return 0
    }
    case 'demos': {
      const t0 = performance.now()
      const wasUp = (await status(o)).state !== undefined
      const u = await up({ ...o, scenario: 'all' })
      for (const reason of Object.values(u.unsupported)) log(`not built: ${reason}`)
      try {
        for (const s of SCENARIOS) {
          if (u.unsupported[SCENARIO[s].routing]) continue
          for (const reply of [false, true]) {
            const file = path.join(repoRoot(), 'lib/demo', `lab-${s}${reply ? '-reply' : ''}.capture.json`)
            const { capture } = await captureLab({ ...o, scenario: s, reply })
            const w = writeCapture(capture, file)
            if (!w.ok) throw new Error(w.error)
            log(`${path.relative(process.cwd(), file)}: ${capture.title}`)
          }
        }
      } finally {
        if (!wasUp) await down(o)
      }
      log(`demos in ${(performance.now() - t0).toFixed(0)} ms (up, ${SCENARIOS.length} scenarios both ways${wasUp ? '' : ', down'})`)
      return 0
    }
    default:
      process.stderr.write(`lab: unknown command ${JSON.stringify(c.command)}\n${USAGE}\n`)
      return 2
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`lab: ${e instanceof Error ? e.message : String(e)}\n`)
    process.exit(1)
  },
)
