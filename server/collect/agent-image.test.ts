import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { CILIUM_AGENT_TOOLS, agentToolPath, findAgentTool } from './agent-image'
import { parseTemplate } from '@/server/security/allowlist'
import { NetnsExecutor } from './netns'

const onMachine = (t: string) => ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'].some((d) => fs.existsSync(path.join(d, t)))

describe('the Cilium agent image tool set', () => {
  it('links only the image tools this machine has, and nothing else', () => {
    const dir = agentToolPath()
    const linked = fs.readdirSync(dir).sort()
    expect(linked).toEqual(CILIUM_AGENT_TOOLS.filter(onMachine).sort())
    expect(linked).toContain('cat')
    expect(linked).toContain('ip')
    for (const absent of ['conntrack', 'tcpdump', 'curl', 'ping', 'nft', 'sysctl']) expect(linked).not.toContain(absent)
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700)
  })

  it('is one fixed directory per user, reused, and refused when it is not ours, not 0700 or a symlink', () => {
    const dir = agentToolPath()
    expect(path.basename(dir)).toBe(`packetwalk-cilium-agent-path-${process.getuid?.() ?? 0}`)
    expect(fs.lstatSync(dir).isSymbolicLink()).toBe(false)
    expect(fs.lstatSync(dir).uid).toBe(process.getuid?.() ?? 0)
    expect(agentToolPath()).toBe(dir)
  })

  it('finds cat and ip, but not conntrack even where this machine has it', () => {
    expect(findAgentTool('cat')).toBe(path.join(agentToolPath(), 'cat'))
    expect(findAgentTool('conntrack')).toBeUndefined()
    expect(findAgentTool('/usr/sbin/conntrack')).toBeUndefined()
  })

  it('the netns collector fails an agent command the image lacks as a real node does, without running it', async () => {
    const ex = new NetnsExecutor({ agent: 'pw-node' }, [parseTemplate('conntrack -L')])
    const r = await ex.exec({ hostId: 'agent', role: 'agent', name: 'netns/pw-node' }, { argv: ['conntrack', '-L'], timeoutMs: 1000, maxBytes: 1000 })
    expect(r).toEqual({ stdout: '', stderr: 'exec: "conntrack": executable file not found in $PATH', exitCode: 127, durationMs: 0 })
  })
})
