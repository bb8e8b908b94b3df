import { describe, expect, it } from 'vitest'
import { isToolMissing } from '@/server/collect/collect'
import { TIMEOUT_EXIT_CODE, runArgv } from '@/server/collect/process'

describe('runArgv', () => {
  it('passes arguments to the program as they are, never through a shell', async () => {
    const r = await runArgv(['echo', '$(id)', ';', 'rm', '-rf', '/', '`reboot`'], { timeoutMs: 5000, maxBytes: 1024 })
    expect(r.exitCode).toBe(0)
    expect(r.stdout).toBe('$(id) ; rm -rf / `reboot`\n')
  })

  it('kills a command at its timeout and says so', async () => {
    const r = await runArgv(['sleep', '10'], { timeoutMs: 200, maxBytes: 1024 })
    expect(r.exitCode).toBe(TIMEOUT_EXIT_CODE)
    expect(r.timedOut).toBe(true)
    expect(r.durationMs).toBeLessThan(3000)
  })

  it('keeps what a bounded stream printed and does not call its stop a failure', async () => {
    const r = await runArgv(['sh', '-c', 'echo first event; exec sleep 10'], { timeoutMs: 300, maxBytes: 1024, bounded: true })
    expect(r).toMatchObject({ exitCode: 0, timedOut: true, stdout: 'first event\n' })
  })

  it('caps the output, stops the command and marks the result truncated', async () => {
    const r = await runArgv(['yes', 'packetwalk'], { timeoutMs: 5000, maxBytes: 1000 })
    expect(r.stdout.length).toBe(1000)
    expect(r.stdout.startsWith('packetwalk\npacketwalk\n')).toBe(true)
    expect(r.truncated).toBe(true)
    expect(r.timedOut).toBeUndefined()
    expect(r.durationMs).toBeLessThan(3000)
  })

  it('reports a missing program as exit 127 with the reason', async () => {
    const r = await runArgv(['pw-no-such-tool', 'addr'], { timeoutMs: 5000, maxBytes: 1024 })
    expect(r.exitCode).toBe(127)
    expect(r.error).toContain('ENOENT')
    expect(isToolMissing('pw-no-such-tool', r)).toBe(true)
  })

  it('keeps stderr and the exit code of a failing command', async () => {
    const r = await runArgv(['cat', '/proc/net/pw-no-such-file'], { timeoutMs: 5000, maxBytes: 1024 })
    expect(r.exitCode).toBe(1)
    expect(r.stderr).toBe('cat: /proc/net/pw-no-such-file: No such file or directory\n')
    // a missing file is not a missing tool
    expect(isToolMissing('cat', r)).toBe(false)
  })

  it('a stream bounded by `timeout` in its argv ends by itself and leaves no process behind (the plan\'s monitor)', async () => {
    // the same shape as MONITOR (`timeout 5 cilium monitor`), with a program that would outlive the test
    const argv = ['timeout', '1', 'sleep', '7.25']
    const r = await runArgv(argv, { timeoutMs: 10_000, maxBytes: 1024 * 1024, bounded: true })
    expect(r.exitCode).toBe(124)
    expect(r.timedOut).toBeUndefined()
    expect(r.durationMs).toBeLessThan(5000)
    const left = await runArgv(['pgrep', '-f', '^sleep 7.25$'], { timeoutMs: 5000, maxBytes: 1024 })
    expect(left.stdout).toBe('')
  })
})
