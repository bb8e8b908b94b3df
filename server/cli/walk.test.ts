/**
 * The real CLI, spawned as users run it (tsx server/cli/main.ts): exit codes, one-line errors,
 * and bad files (binary, truncated, 100 MB) answered with one clear line.
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { validateWalk } from '@/lib/formats/walk-schema'

const ROOT = path.resolve(__dirname, '..', '..')
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx')
const SEED = path.join(ROOT, 'lib', 'demo', 'seed-doks.capture.json')
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'packetwalk-cli-'))
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }))

function cli(...args: string[]) {
  const r = spawnSync(TSX, [path.join(ROOT, 'server', 'cli', 'main.ts'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000, maxBuffer: 64 * 1024 * 1024 })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

function expectOneLineError(r: ReturnType<typeof cli>, pattern: RegExp) {
  expect(r.code).toBe(2)
  expect(r.stdout).toBe('')
  const lines = r.stderr.split('\n').filter((l) => l.length > 0)
  expect(lines).toHaveLength(1)
  expect(lines[0]).toMatch(pattern)
  expect(r.stderr).not.toMatch(/\n\s+at /)
}

// every test spawns tsx (a cold Node start that compiles the CLI), some several times: on a loaded
// 2-core CI machine one spawn can take 5–10 s, so the default 30 s would fail a correct CLI.
// How fast the CLI answers is measured in bench/, not here.
describe('packetwalk walk', { timeout: 180_000 }, () => {
  it('--reply prints the reply walk of the seed: un-masqueraded, delivered on the pod eth0', () => {
    const r = cli('walk', SEED, '--reply', '--json')
    expect(r.code).toBe(0)
    const walk = JSON.parse(r.stdout)
    const v = validateWalk(walk)
    expect(v.ok ? 'ok' : v.error).toBe('ok')
    expect(walk.reply).toBe(true)
    expect(walk.flow.source.ip).toBe('1.0.0.1')
    expect(walk.hops.map((h: { kind: string }) => h.kind)).toEqual(['conntrack', 'nat', 'route', 'veth', 'deliver'])
    expect(walk.hops[1].facts.reverse).toBe(true)
  })

  it('prints the seed walk as walk@1 JSON, exit 0', () => {
    const r = cli('walk', SEED, '--json')
    expect(r.code).toBe(0)
    const walk = JSON.parse(r.stdout)
    const v = validateWalk(walk)
    expect(v.ok ? 'ok' : v.error).toBe('ok')
    expect(walk.hops.map((h: { kind: string }) => h.kind)).toEqual(['route', 'neighbor', 'veth', 'bpf', 'conntrack', 'conntrack', 'route', 'nat', 'neighbor', 'egress'])
    expect(r.stderr).toBe('')
  })

  it('prints a readable table with evidence `host: command Lnn` and warnings', () => {
    const r = cli('walk', SEED)
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^1\s+route\s+pod \(pod\)\s+yes\s+Pod routing table/m)
    expect(r.stdout).toContain('pod: route -n L3')
    expect(r.stdout).toContain('node-7o7xd: tc filter show dev lxcf4cd39e34601 ingress L2')
    expect(r.stdout).toMatch(/9\s+neighbor\s+node-7o7xd \(node\)\s+NO/)
    expect(r.stdout).toMatch(/warnings \(\d+\):/)
  })

  it('walks the embedded demo with --demo seed', () => {
    const r = cli('walk', '--demo', 'seed', '--json')
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout).hops).toHaveLength(10)
  })

  it('rejects a capture that does not validate, naming the field', () => {
    const seed = JSON.parse(fs.readFileSync(SEED, 'utf8'))
    seed.hosts.pod.runs[0].exitCode = 'zero'
    const f = path.join(tmp, 'bad-field.json')
    fs.writeFileSync(f, JSON.stringify(seed))
    expectOneLineError(cli('walk', f), /invalid capture .*hosts\.pod\.runs\[0\]\.exitCode/)
  })

  it('rejects an invalid address in the flow, naming the field (exit 2; every field: lib/formats/capture-schema.test.ts)', () => {
    const seed = JSON.parse(fs.readFileSync(SEED, 'utf8'))
    seed.flow.destination.ip = '10.0.0.300'
    const f = path.join(tmp, 'bad-dst-ip.json')
    fs.writeFileSync(f, JSON.stringify(seed))
    expectOneLineError(cli('walk', f, '--json'), /^invalid capture .*bad-dst-ip\.json: flow\.destination\.ip: "10\.0\.0\.300" is not an IPv4 or IPv6 address$/)
  })

  it('takes an IPv6 flow as valid input: exit 0, the walk says IPv6 is not walked yet', () => {
    const seed = JSON.parse(fs.readFileSync(SEED, 'utf8'))
    seed.flow.destination.ip = '2606:4700:4700::1111'
    const f = path.join(tmp, 'v6.json')
    fs.writeFileSync(f, JSON.stringify(seed))
    const r = cli('walk', f, '--json')
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout).warnings.join(' ')).toMatch(/IPv6/)
  })

  it('rejects a binary file', () => {
    const f = path.join(tmp, 'binary.json')
    fs.writeFileSync(f, Buffer.from([0x7b, 0x22, 0x00, 0xff, 0xfe, 0x10, 0x00, 0x42]))
    expectOneLineError(cli('walk', f, '--json'), /binary/)
  })

  it('rejects truncated JSON', () => {
    const text = fs.readFileSync(SEED, 'utf8')
    const f = path.join(tmp, 'truncated.json')
    fs.writeFileSync(f, text.slice(0, Math.floor(text.length / 2)))
    expectOneLineError(cli('walk', f), /not valid JSON/)
  })

  it('answers a 100 MB file holding a valid JSON prefix with one clear line (it reads a prefix, not the whole file)', () => {
    const f = path.join(tmp, 'big.json')
    const head = '{"format":"packetwalk/capture@1","capturedAt":"2024-09-11T09:30:00Z","hosts":{"n":{"role":"node","name":"n","runs":[{"command":"conntrack -L","stdout":"'
    const fd = fs.openSync(f, 'w')
    fs.writeSync(fd, head)
    const chunk = 'tcp      6 117 TIME_WAIT src=10.244.0.213 dst=1.0.0.1 sport=41708 dport=80\\n'.repeat(13_000)
    let written = head.length
    while (written < 100 * 1024 * 1024) written += fs.writeSync(fd, chunk)
    fs.closeSync(fd)
    const r = cli('walk', f, '--json')
    expectOneLineError(r, /not valid JSON/)
  })

  it('says when the file does not exist', () => {
    expectOneLineError(cli('walk', path.join(tmp, 'nope.json')), /no such file/)
  })

  it('usage errors exit 2 with one line; --help exits 0', () => {
    expectOneLineError(cli('walk'), /exactly one capture file/)
    expectOneLineError(cli('walk', SEED, '--bogus'), /unknown option --bogus/)
    expectOneLineError(cli('frobnicate'), /unknown command "frobnicate"/)
    const h = cli('walk', '--help')
    expect(h.code).toBe(0)
    expect(h.stdout).toContain('usage: packetwalk walk <capture.json> [--reply] [--json]')
    expect(cli('--help').code).toBe(0)
  })
})
