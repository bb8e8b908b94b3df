/**
 * `npm run lab -- <up|probe|capture|status|down> [options]` (root): the Linux lab that rebuilds
 * the seed's Cilium node from real kernel objects in network namespaces. See docs/lab.md.
 */
import { captureLab, down, probe, requireRoot, status, up, type LabOptions } from '@/server/lab/lab'
import { progressPrinter, writeCapture } from '@/server/cli/capture'
import { labNames } from '@/server/lab/topology'

const USAGE = `usage: npm run lab -- <command> [options]   (as root)
  up        build the lab's namespaces, veths, routes, iptables rules and BPF program
  probe     send real traffic from the pod (TCP to 198.51.100.80:80, ping)
  capture   probe, then capture the plan's commands in the lab  [-o file.json]
  status    what exists now
  down      remove exactly what up made (safe to run twice)
options: --prefix <p> (namespace prefix, default pw), --lifetime <s> (TCP server lifetime, default 1800),
         -v (print every command), -o <file> (capture output; default stdout)`

interface Cli extends LabOptions {
  command?: string
  out?: string
  verbose: boolean
}

function parse(args: string[]): Cli | { error: string } {
  const c: Cli = { verbose: false }
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string
    if (a === '-v' || a === '--verbose') c.verbose = true
    else if (a === '--prefix') c.prefix = args[++i]
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
  const o: LabOptions = { prefix: c.prefix, serverLifetimeSec: c.serverLifetimeSec, log: c.verbose ? log : undefined }
  const names = labNames(c.prefix)
  switch (c.command) {
    case 'up': {
      requireRoot()
      const r = await up(o)
      if (r.alreadyUp) log(`lab ${names.prefix} is already up`)
      else log(`lab up in ${r.durationMs} ms (${r.steps} steps): pod ${names.pod} (10.244.0.213, eth0 ↔ ${names.lxc} in ${names.node}), internet ${names.world}, private network ${names.priv}`)
      return 0
    }
    case 'down': {
      const r = await down(o)
      log(r.removed.length || r.serverStopped ? `removed ${r.removed.join(', ') || 'no namespace'}${r.serverStopped ? ' and the TCP server' : ''}` : 'nothing to remove')
      return 0
    }
    case 'status': {
      const s = await status(o)
      process.stdout.write(
        [
          `lab ${names.prefix}: ${s.up ? 'up' : s.state ? 'partly up (run down)' : 'down'}`,
          ...s.namespaces.map((n) => `  netns ${n.name}: ${n.exists ? 'present' : 'absent'}`),
          `  tcp server: ${s.serverRunning ? `running (pid ${s.state?.server?.pid})` : 'not running'}`,
        ].join('\n') + '\n',
      )
      return 0
    }
    case 'probe': {
      const p = await probe(o)
      process.stdout.write(`tcp:  ${(p.tcp.stdout || p.tcp.stderr || p.tcp.error || '').trim()}\nping: ${(p.ping.stdout || p.ping.stderr || p.ping.error || '').trim().split('\n').slice(-2).join(' | ')}\n`)
      return p.tcp.exitCode === 0 ? 0 : 1
    }
    case 'capture': {
      const { capture, probe: p } = await captureLab({ ...o, onProgress: progressPrinter(process.stderr) })
      log(`probe: ${p.tcp.stdout.trim()}`)
      const w = writeCapture(capture, c.out)
      if (!w.ok) {
        process.stderr.write(`lab: ${w.error}\n`)
        return 1
      }
      if (c.out) log(`capture written to ${c.out}`)
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
