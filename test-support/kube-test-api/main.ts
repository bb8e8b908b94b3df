/**
 * Runs the Kubernetes API test double until SIGINT/SIGTERM.
 *
 *   npm run -s kube-test-api -- --kubeconfig test-results/e2e-kubeconfig [--latency 50]
 *       [--port 0] [--max-exec 30] [--exec-log file.jsonl] [--version 1.34|1.35] [--allow-any-command] [--prefix pw] [--netns-pod <prefix>-pod] [--netns-node <prefix>-node]
 */
import { isLabPrefix, labNames } from '@/server/lab/topology'
import { labClusterSpec } from './cluster'
import { KUBE_VERSIONS, type KubeVersion } from './rbac'
import { startKubeTestApi } from './server'

function usage(msg: string): never {
  console.error(`kube-test-api: ${msg}`)
  console.error('usage: kube-test-api --kubeconfig <file> [--latency <ms>] [--port <n>] [--max-exec <s>] [--exec-log <file>] [--version 1.34|1.35] [--allow-any-command] [--prefix <p>] [--netns-pod <ns>] [--netns-node <ns>]')
  process.exit(2)
}

async function main(): Promise<void> {
  const args = process.argv.slice(2)
  const opt = (name: string): string | undefined => {
    const i = args.indexOf(`--${name}`)
    if (i < 0) return undefined
    const v = args[i + 1]
    if (v === undefined || v.startsWith('--')) usage(`--${name} needs a value`)
    return v
  }
  const num = (name: string, fallback: number): number => {
    const v = opt(name)
    if (v === undefined) return fallback
    const n = Number(v)
    if (!Number.isFinite(n) || n < 0) usage(`--${name} must be a non-negative number, got "${v}"`)
    return n
  }
  const kubeconfig = opt('kubeconfig') ?? usage('--kubeconfig is required')
  // the same namespace prefix as `npm run lab -- up --prefix <p>` (default pw, or PW_LAB_PREFIX)
  const prefix = opt('prefix') ?? process.env.PW_LAB_PREFIX ?? 'pw'
  if (!isLabPrefix(prefix)) usage(`--prefix must be 1-8 lower-case letters or digits, got "${prefix}"`)
  const lab = labNames(prefix)
  const version = (opt('version') ?? '1.35') as KubeVersion
  if (!KUBE_VERSIONS.includes(version)) usage(`--version must be one of ${KUBE_VERSIONS.join(', ')}, got "${version}"`)
  const api = await startKubeTestApi({
    port: num('port', 0),
    latencyMs: num('latency', 0),
    maxExecMs: num('max-exec', 30) * 1000,
    execLogPath: opt('exec-log'),
    version,
    // by hand with kubectl you may want any command; by default only the collector's allowlist runs
    ...(args.includes('--allow-any-command') ? { refuseArgv: null } : {}),
    cluster: labClusterSpec({ pod: opt('netns-pod') ?? lab.pod, node: opt('netns-node') ?? lab.node }),
  })
  api.writeKubeconfig(kubeconfig)
  console.log(`kube-test-api (a TEST DOUBLE of the Kubernetes API): ${api.url}, kubeconfig ${kubeconfig}`)
  const stop = () => {
    void api.close().then(() => process.exit(0))
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

main().catch((e: unknown) => {
  console.error(`kube-test-api: ${e instanceof Error ? e.message : String(e)}`)
  process.exit(1)
})
