import { describe, expect, it } from 'vitest'
import { parseDestination, runCapture } from '@/server/cli/capture'

describe('parseDestination', () => {
  it.each([
    ['198.51.100.80:80/tcp', { ip: '198.51.100.80', port: 80, protocol: 'tcp' }],
    ['198.51.100.80:53/udp', { ip: '198.51.100.80', port: 53, protocol: 'udp' }],
    ['198.51.100.80:443', { ip: '198.51.100.80', port: 443, protocol: 'tcp' }],
    ['1.0.0.1', { ip: '1.0.0.1', protocol: 'icmp' }],
    ['1.0.0.1/icmp', { ip: '1.0.0.1', protocol: 'icmp' }],
  ])('%s', (text, expected) => expect(parseDestination(text)).toEqual(expected))

  it.each(['1.1', '198.51.100.80:0', '198.51.100.80:70000', '198.51.100.80:80/sctp', '1.0.0.1:80/icmp', 'example.com:80', '$(id)'])('refuses %s', (text) => {
    expect('error' in parseDestination(text)).toBe(true)
  })
})

describe('runCapture argument checks (nothing is run)', () => {
  const stderr: string[] = []
  const capture = async (args: string[]) => {
    const write = process.stderr.write.bind(process.stderr)
    stderr.length = 0
    process.stderr.write = ((s: string) => (stderr.push(String(s)), true)) as typeof process.stderr.write
    try {
      return await runCapture(args)
    } finally {
      process.stderr.write = write
    }
  }

  it('refuses a hostile namespace name with one clear line and exit 2', async () => {
    expect(await capture(['--netns-pod', 'pw-pod;id', '--netns-node', 'pw-node', '--from', 'default/client', '--to', '198.51.100.80:80'])).toBe(2)
    expect(stderr.join('')).toBe('packetwalk capture: --netns-pod "pw-pod;id": expected a network namespace name (DNS-1123 label)\n')
  })

  it('refuses a bad --from and a bad --to', async () => {
    expect(await capture(['--netns-pod', 'a', '--netns-node', 'b', '--from', 'client', '--to', '198.51.100.80'])).toBe(2)
    expect(stderr.join('')).toContain('--from "client": expected <namespace>/<pod>')
    expect(await capture(['--netns-pod', 'a', '--netns-node', 'b', '--from', 'default/client', '--to', 'x'])).toBe(2)
    expect(stderr.join('')).toContain('expected ip[:port][/tcp|udp|icmp]')
  })

  it('needs both the pod and the node namespace', async () => {
    expect(await capture(['--netns-pod', 'a', '--from', 'default/client', '--to', '198.51.100.80'])).toBe(2)
    expect(stderr.join('')).toContain('--netns-pod and --netns-node are both needed')
  })
})
