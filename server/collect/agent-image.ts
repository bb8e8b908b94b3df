/**
 * The tool set of the real Cilium agent image, as a PATH. The lab's "agent" is a network namespace
 * of this machine and would otherwise see every tool installed here (conntrack-tools, tcpdump…),
 * which a real agent container does not have: a command that works in the lab could then never work
 * on a real node. Agent-role commands run with PATH set to a directory holding symlinks to only
 * the tools below that this machine has; a tool the image has but this machine lacks (cilium-dbg,
 * hubble) stays missing, and the exec fails as on a real node: executable file not found in $PATH.
 *
 * What the image holds (cilium/cilium, checked 2026-12):
 * - images/runtime/Dockerfile: FROM ubuntu:24.04 (its base coreutils, bash, grep, sed, findutils,
 *   mawk, util-linux), install-runtime-deps.sh installs iproute2, iptables, ipset, kmod, jq,
 *   ca-certificates, bash-completion; iptables-wrapper-installer.sh puts the iptables wrapper in
 *   front; clang and llc from cilium-llvm, bpftool from cilium-bpftool, gops and the CNI plugins.
 * - images/cilium/Dockerfile: FROM cilium-runtime, adds hubble (/usr/bin/hubble), cilium-envoy and
 *   the build's binaries: cilium-agent, cilium-dbg (with a `cilium` link from 1.15), cilium-health,
 *   cilium-bugtool.
 * Not in it: conntrack (conntrack-tools), tcpdump, ping, curl, nft, ps/sysctl (procps is not in the
 * ubuntu base image) — so netfilter conntrack is read with `cat /proc/net/nf_conntrack`.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

export const CILIUM_AGENT_TOOLS: readonly string[] = [
  // images/cilium
  'cilium-dbg', 'cilium', 'cilium-agent', 'cilium-health', 'cilium-bugtool', 'hubble',
  // images/runtime: iproute2, iptables (+ wrapper), ipset, kmod, jq, llvm, bpftool, gops
  'ip', 'tc', 'ss', 'bridge',
  'iptables', 'iptables-save', 'iptables-restore', 'ip6tables', 'ip6tables-save', 'ip6tables-restore',
  'iptables-legacy', 'iptables-legacy-save', 'iptables-nft', 'iptables-nft-save', 'xtables-legacy-multi', 'xtables-nft-multi',
  'ipset', 'lsmod', 'modprobe', 'jq', 'clang', 'llc', 'bpftool', 'gops',
  // ubuntu:24.04 base
  'sh', 'bash', 'cat', 'timeout', 'ls', 'head', 'tail', 'grep', 'sed', 'awk', 'wc', 'sort', 'uniq', 'cut', 'tr',
  'env', 'sleep', 'date', 'echo', 'true', 'false', 'test', 'id', 'uname', 'find', 'xargs', 'mount', 'stat', 'readlink',
]

/** The machine's PATH a container image would have; the lab's namespaces share this file system. */
const MACHINE_PATH = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin']

function findOnMachine(name: string): string | undefined {
  for (const dir of MACHINE_PATH) {
    const p = path.join(dir, name)
    try {
      fs.accessSync(p, fs.constants.X_OK)
      if (fs.statSync(p).isFile()) return p
    } catch {
      // not in this directory
    }
  }
  return undefined
}

let agentDir: string | undefined

/**
 * The directory of symlinks, the PATH of agent commands: one fixed directory per user
 * (`$TMPDIR/packetwalk-cilium-agent-path-<uid>`), reused by every process rather than one per
 * process (test workers that never reach their exit handler left one behind each). Before it is
 * used it must be a real directory (not a symlink), owned by us, mode 0700, so that no other user
 * can choose what the agent's PATH runs; its links are brought to the tool set below. Every
 * process wants the same links, so concurrent processes agree and never need to remove the
 * directory.
 */
export function agentToolPath(): string {
  if (agentDir && fs.existsSync(agentDir)) return agentDir
  const uid = process.getuid?.() ?? 0
  const dir = path.join(os.tmpdir(), `packetwalk-cilium-agent-path-${uid}`)
  try {
    fs.mkdirSync(dir, { mode: 0o700 })
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
  }
  const st = fs.lstatSync(dir)
  if (!st.isDirectory() || st.isSymbolicLink()) throw new Error(`${dir} is not a directory: refusing to use it as the agent's PATH`)
  if (st.uid !== uid) throw new Error(`${dir} is owned by uid ${st.uid}, not ${uid}: refusing to use it as the agent's PATH`)
  if ((st.mode & 0o777) !== 0o700) throw new Error(`${dir} has mode ${(st.mode & 0o777).toString(8)}, not 700: refusing to use it as the agent's PATH`)
  const wanted = new Map<string, string>()
  for (const tool of CILIUM_AGENT_TOOLS) {
    const target = findOnMachine(tool)
    if (target) wanted.set(tool, target)
  }
  for (const name of fs.readdirSync(dir)) {
    if (!wanted.has(name)) fs.rmSync(path.join(dir, name), { force: true })
  }
  for (const [tool, target] of wanted) linkTo(path.join(dir, tool), target)
  agentDir = dir
  return dir
}

/** Makes `link` a symlink to `target`, replacing anything else there; another process making the same link is fine. */
function linkTo(link: string, target: string): void {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      if (fs.readlinkSync(link) === target) return
      fs.rmSync(link, { force: true })
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code
      if (code === 'EINVAL') fs.rmSync(link, { force: true, recursive: true }) // not a symlink
      else if (code !== 'ENOENT') throw e
    }
    try {
      fs.symlinkSync(target, link)
      return
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
      // another process made it between our check and our link: check it again
    }
  }
  throw new Error(`${link} keeps changing: cannot make it a link to ${target}`)
}

/** Where `name` resolves in the agent's PATH, or undefined (the exec fails as "not found"). */
export function findAgentTool(name: string): string | undefined {
  if (name.includes('/')) return CILIUM_AGENT_TOOLS.includes(path.basename(name)) ? findOnMachine(path.basename(name)) : undefined
  const p = path.join(agentToolPath(), name)
  try {
    fs.accessSync(p, fs.constants.X_OK)
    return p
  } catch {
    return undefined
  }
}

/** The runtime's answer for a missing executable (containerd/runc), as the collector records it. */
export function notFoundInPath(name: string): string {
  return `exec: "${name}": executable file not found in $PATH`
}
