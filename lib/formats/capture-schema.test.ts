/**
 * The flow of a capture names addresses, a port and a protocol: each must be valid, or the whole
 * capture is rejected with one message naming the field. Frames are the real seed capture's.
 */
import { describe, expect, it } from 'vitest'
import seed from '@/lib/demo/seed-doks.capture.json'
import { validateCapture } from './capture-schema'

type Edit = (flow: Record<string, Record<string, unknown>>) => void

function check(edit: Edit) {
  const c = structuredClone(seed) as unknown as { flow: Record<string, Record<string, unknown>> }
  edit(c.flow)
  const r = validateCapture(c)
  return r.ok ? 'ok' : r.error
}

describe('capture flow validation', () => {
  it.each<[string, Edit, string]>([
    ['destination octet > 255', (f) => void (f.destination!.ip = '10.0.0.300'), 'flow.destination.ip: "10.0.0.300" is not an IPv4 or IPv6 address'],
    ['source name instead of address', (f) => void (f.source!.ip = 'client-pod'), 'flow.source.ip: "client-pod" is not an IPv4 or IPv6 address'],
    ['empty source', (f) => void (f.source!.ip = ''), 'flow.source.ip: "" is not an IPv4 or IPv6 address'],
    ['a CIDR, not an address', (f) => void (f.destination!.ip = '1.0.0.0/24'), 'flow.destination.ip: "1.0.0.0/24" is not an IPv4 or IPv6 address'],
    ['two ::', (f) => void (f.destination!.ip = '2001::1::2'), 'flow.destination.ip: "2001::1::2" is not an IPv4 or IPv6 address'],
    ['extra address field', (f) => void (f.source!.nodeIp = '10.0.0'), 'flow.source.nodeIp: "10.0.0" is not an IPv4 or IPv6 address'],
    ['nested extra address', (f) => void (f.original = { destination: { ip: '1.0.0.999' } }), 'flow.original.destination.ip: "1.0.0.999" is not an IPv4 or IPv6 address'],
    ['port above 65535', (f) => void (f.destination!.port = 70000), 'flow.destination.port: 70000 is not a port (an integer from 1 to 65535)'],
    ['port 0', (f) => void (f.destination!.port = 0), 'flow.destination.port: 0 is not a port (an integer from 1 to 65535)'],
    ['port as text', (f) => void (f.destination!.port = '80'), 'flow.destination.port: "80" is not a port (an integer from 1 to 65535)'],
    ['source port out of range', (f) => void (f.source!.port = -1), 'flow.source.port: -1 is not a port (an integer from 1 to 65535)'],
    ['unknown protocol', (f) => void (f.destination!.protocol = 'sctp'), 'flow.destination.protocol: "sctp" is not one of tcp, udp, icmp'],
  ])('%s: invalid, naming the field', (_name, edit, message) => {
    expect(check(edit)).toBe(`invalid capture: ${message}`)
  })

  it.each<[string, Edit]>([
    ['the seed as recorded', () => {}],
    ['IPv6 destination (valid input; the engine says it does not walk it yet)', (f) => void (f.destination!.ip = '2606:4700:4700::1111')],
    ['IPv4-mapped IPv6 source', (f) => void (f.source!.ip = '::ffff:10.244.0.213')],
    ['no port (icmp)', (f) => void Object.assign(f.destination!, { port: undefined, protocol: 'icmp' })],
    ['port 65535', (f) => void (f.destination!.port = 65535)],
    ['extra non-address fields', (f) => void (f.source!.comment = 'not an address, not named like one')],
  ])('%s: valid', (_name, edit) => {
    expect(check(edit)).toBe('ok')
  })
})
