/**
 * `packetwalk capture --from <ns/pod> --to <dest> [--context c] [-o file]`: the live collector
 * (server/kube/collect.ts) from the command line, writing the same capture@1 file as the live
 * page's "Save capture". Loaded by server/cli/capture.ts when no --netns-* option is given.
 *
 *   --to              ip[:port][/tcp|udp|icmp], pod/ns/name[:port], svc/ns/name[:port]
 *   --container c     the source pod's container (default: its first)
 *   --agent-namespace where the Cilium agents run (default kube-system)
 *   --probe           send ping / a TCP or UDP connect from the pod first
 *   --debug-image i   run the pod commands in an ephemeral container of image i
 *   --node-shell i    run the node commands in a PRIVILEGED pod of image i on the node
 *                     (hostNetwork, hostPID: root on the node), deleted afterwards
 *   --node-shell-namespace ns   where that pod is created (default "default")
 *   --title t         the capture's title
 *   -q                no progress on stderr
 *
 * Exit codes: 0 written (problems, if any, listed on stderr), 1 nothing could be collected,
 * 2 bad arguments.
 */
import { cliRequester } from '@/server/audit'
import { collectFromCluster, type ClusterCaptureOptions } from '@/server/kube/collect'
import { KubeError } from '@/server/kube/errors'
import { progressPrinter, writeCapture } from './capture'

const USAGE =
  'usage: packetwalk capture --from <ns/pod> --to <ip[:port][/proto] | pod/ns/name[:port] | svc/ns/name[:port]>\n' +
  '                          [--context <kube-context>] [--container <name>] [--agent-namespace <ns>]\n' +
  '                          [--probe] [--debug-image <image>] [--node-shell <image> [--node-shell-namespace <ns>]]\n' +
  '                          [--title <text>] [-o file.json] [-q]'

const VALUE_FLAGS: Record<string, string> = {
  '--from': 'from',
  '--to': 'to',
  '--context': 'context',
  '--container': 'container',
  '--agent-namespace': 'agentNamespace',
  '--debug-image': 'debugImage',
  '--node-shell': 'nodeShell',
  '--node-shell-namespace': 'nodeShellNamespace',
  '--title': 'title',
  '-o': 'out',
  '--output': 'out',
}

function fail(message: string, code: number): number {
  process.stderr.write(`packetwalk capture: ${message}\n`)
  return code
}

export async function runLiveCapture(args: string[]): Promise<number> {
  const v: Record<string, string> = {}
  let probe = false
  let quiet = false
  for (let i = 0; i < args.length; i++) {
    const flag = args[i] as string
    if (flag === '--probe') probe = true
    else if (flag === '-q' || flag === '--quiet') quiet = true
    else {
      const eq = flag.startsWith('--') ? flag.indexOf('=') : -1
      const name = eq > 0 ? flag.slice(0, eq) : flag
      const key = VALUE_FLAGS[name]
      if (!key) return fail(`unknown option ${JSON.stringify(flag)}\n${USAGE}`, 2)
      const value = eq > 0 ? flag.slice(eq + 1) : args[++i]
      if (value === undefined || value === '') return fail(`${name} needs a value`, 2)
      v[key] = value
    }
  }
  if (!v.from || !v.to) return fail(`--from and --to are required\n${USAGE}`, 2)
  const opts: ClusterCaptureOptions = {
    from: v.from,
    to: v.to,
    context: v.context,
    container: v.container,
    agentNamespace: v.agentNamespace,
    debugImage: v.debugImage,
    nodeShell: v.nodeShell,
    nodeShellNamespace: v.nodeShellNamespace,
    title: v.title,
    probe,
    who: cliRequester(),
  }
  try {
    const { capture, errors } = await collectFromCluster(opts, quiet ? undefined : progressPrinter(process.stderr))
    const w = writeCapture(capture, v.out)
    if (!w.ok) return fail(w.error, 1)
    for (const e of errors) process.stderr.write(`packetwalk capture: warning: ${e}\n`)
    if (v.out && !quiet) process.stderr.write(`capture written to ${v.out}\n`)
    return 0
  } catch (e) {
    if (e instanceof KubeError) return fail(e.message, e.kind === 'invalid-input' ? 2 : 1)
    return fail(e instanceof Error ? e.message : String(e), 1)
  }
}
