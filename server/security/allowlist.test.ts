import { describe, expect, it } from 'vitest'
import { MONITOR, POD_FALLBACKS, ROUND1, afterTraffic, deviceCommands } from '@/lib/collect/plan'
import { PLAN_TEMPLATES, checkArgv, parseTemplate } from '@/server/security/allowlist'
import { isDeviceName, isDns1123Label, isDns1123Subdomain, isIpAddress, isNetnsName, isPodRef, isPort } from '@/server/security/names'

describe('checkArgv against the plan', () => {
  it('accepts every command the plan can ask for', () => {
    const all = [...ROUND1.pod, ...ROUND1.node, ...ROUND1.agent, ...POD_FALLBACKS, ...afterTraffic('node'), ...afterTraffic('agent', '10.244.0.213'), MONITOR, ...deviceCommands('lxcf4cd39e34601'), ...deviceCommands('eth0')]
    for (const c of all) expect(checkArgv(c.argv), c.argv.join(' ')).toEqual({ ok: true })
  })

  it('derives one device placeholder per round-2 form', () => {
    const tc = PLAN_TEMPLATES.filter((t) => t.text.startsWith('tc '))
    expect(tc.map((t) => t.text).sort()).toEqual(['tc filter show dev {device} egress', 'tc filter show dev {device} ingress'])
  })

  it('reads netfilter conntrack with cat (the agent image has no conntrack) and asks Hubble about one address only', () => {
    expect(checkArgv(['cat', '/proc/net/nf_conntrack'])).toEqual({ ok: true })
    expect(checkArgv(['conntrack', '-L']).ok).toBe(false)
    expect(checkArgv(['hubble', 'observe', '--last', '1000', '-o', 'json', '--ip', '10.244.0.213'])).toEqual({ ok: true })
    expect(checkArgv(['hubble', 'observe', '--last', '1000', '-o', 'json', '--ip', '10.0.0.0/8;id']).ok).toBe(false)
    expect(checkArgv(['hubble', 'observe', '-f', '-o', 'json', '--ip', '10.244.0.213']).ok).toBe(false)
    // a monitor only ever runs under timeout, so it cannot outlive the capture
    expect(checkArgv(['timeout', '5', 'cilium', 'monitor'])).toEqual({ ok: true })
    expect(checkArgv(['cilium', 'monitor']).ok).toBe(false)
    expect(checkArgv(['timeout', '99999', 'cilium', 'monitor']).ok).toBe(false)
  })

  it.each([
    [['ip', 'addr', ';', 'rm', '-rf', '/']],
    [['ip', 'addr;', 'rm', '-rf', '/']],
    [['iptables-save', '$(id)']],
    [['ip', 'addr\nreboot']],
    [['ip', 'route', 'show', 'table', 'all', '&&', 'id']],
    [['sh', '-c', 'id']],
    [['bash']],
    [['cat', '/etc/shadow']],
    [['cat', '/sys/class/net/eth0/iflink', '/etc/shadow']],
    [['ip', 'netns', 'exec', 'pw-pod', 'sh']],
    [['conntrack', '-F']],
    [['conntrack', '-D']],
    [['iptables-save', '-t', 'nat']],
    [['cilium', 'endpoint', 'delete', '762']],
    [['tc', 'filter', 'del', 'dev', 'eth0', 'ingress']],
    [['tc', 'filter', 'show', 'dev', 'lxc$(reboot)', 'ingress']],
    [['tc', 'filter', 'show', 'dev', 'lxc`id`', 'ingress']],
    [['tc', 'filter', 'show', 'dev', 'eth0;id', 'ingress']],
    [['tc', 'filter', 'show', 'dev', 'eth0\nid', 'ingress']],
    [['tc', 'filter', 'show', 'dev', 'eth0 ingress', 'egress']],
    [['tc', 'filter', 'show', 'dev', '-all', 'ingress']],
    [['tc', 'filter', 'show', 'dev', 'lxcf4cd39e346011', 'ingress']],
    [['tc', 'filter', 'show', 'dev', '', 'ingress']],
    [['tc', 'filter', 'show', 'dev', 'eth0', 'ingress', 'extra']],
    [[]],
  ])('refuses %j', (argv) => {
    const r = checkArgv(argv)
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.reason.length).toBeGreaterThan(5)
  })

  it('names the refused word and the template it broke', () => {
    const r = checkArgv(['tc', 'filter', 'show', 'dev', 'lxc$(reboot)', 'ingress'])
    expect(r).toEqual({
      ok: false,
      reason: 'argument 5 "lxc$(reboot)" refused (expected a valid device name, template: tc filter show dev {device} ingress)',
    })
    expect(checkArgv(['sh', '-c', 'id'])).toEqual({ ok: false, reason: 'command "sh" is not in the allowlist' })
  })

  it('shows control characters escaped in the reason', () => {
    const r = checkArgv(['ip', 'addr\nreboot'])
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.reason).toContain('"addr\\nreboot"')
  })
})

describe('templates with typed placeholders', () => {
  const ping = parseTemplate('ping -c 3 -W 2 {ip}')
  const nc = parseTemplate('nc -z -w 3 {ip} {port}')

  it('accept valid values and refuse anything else', () => {
    expect(checkArgv(['ping', '-c', '3', '-W', '2', '198.51.100.80'], [ping])).toEqual({ ok: true })
    expect(checkArgv(['ping', '-c', '3', '-W', '2', '198.51.100.80;id'], [ping]).ok).toBe(false)
    expect(checkArgv(['ping', '-c', '3', '-W', '2', '-f'], [ping]).ok).toBe(false)
    expect(checkArgv(['ping', '-c', '3', '-W', '2', '256.1.1.1'], [ping]).ok).toBe(false)
    expect(checkArgv(['nc', '-z', '-w', '3', '203.0.113.1', '80'], [nc])).toEqual({ ok: true })
    for (const port of ['0', '65536', '080', '-1', '80 ', '8o']) expect(checkArgv(['nc', '-z', '-w', '3', '203.0.113.1', port], [nc]).ok).toBe(false)
  })
})

describe('name validators', () => {
  it('device names', () => {
    for (const ok of ['eth0', 'lxcf4cd39e34601', 'cilium_host', 'eth0.100', 'bond0:1', 'veth@x']) expect(isDeviceName(ok), ok).toBe(true)
    for (const bad of ['', 'lxcf4cd39e346011', 'eth 0', 'eth0/1', 'a$b', '-x', '.', '..', 'é', 'eth0\n']) expect(isDeviceName(bad), bad).toBe(false)
  })
  it('DNS-1123 names, netns names and pod references', () => {
    expect(isDns1123Label('kube-system')).toBe(true)
    expect(isDns1123Label('Kube')).toBe(false)
    expect(isDns1123Label('a_b')).toBe(false)
    expect(isDns1123Label('-a')).toBe(false)
    expect(isDns1123Label('a'.repeat(64))).toBe(false)
    expect(isDns1123Subdomain('web.v2-0')).toBe(true)
    expect(isDns1123Subdomain('web..v2')).toBe(false)
    expect(isNetnsName('pw-node')).toBe(true)
    expect(isNetnsName('../etc')).toBe(false)
    expect(isPodRef('default/client')).toBe(true)
    expect(isPodRef('default/../client')).toBe(false)
    expect(isPodRef('/client')).toBe(false)
    expect(isPodRef('default/client;id')).toBe(false)
  })
  it('addresses and ports', () => {
    expect(isIpAddress('198.51.100.80')).toBe(true)
    expect(isIpAddress('fe80::1')).toBe(true)
    expect(isIpAddress('1.1')).toBe(false)
    expect(isIpAddress('198.51.100.80/32')).toBe(false)
    expect(isPort('443')).toBe(true)
    expect(isPort('65535')).toBe(true)
    expect(isPort('65536')).toBe(false)
  })
})
