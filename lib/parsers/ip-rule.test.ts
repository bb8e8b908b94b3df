import { describe, expect, it } from 'vitest'
import { parseIpRule } from './ip-rule'
import kwx from './fixtures/kwx4957-cilium1181-native-wg__node-ip-rule-show.txt?raw'
import labPod from './fixtures/lab-pod-ip-rule.txt?raw'
import labNode from './fixtures/lab-node-ip-rule.txt?raw'

describe('parseIpRule', () => {
  it('kwx4957: Cilium proxy rules 9 and 10 by fwmark, then local/main/default', () => {
    const { records, diagnostics } = parseIpRule(kwx)
    expect(diagnostics).toEqual([])
    expect(records).toEqual([
      { line: 2, priority: 9, from: 'all', fwmark: '0x200/0xf00', table: '2004', action: 'lookup' },
      { line: 3, priority: 10, from: 'all', fwmark: '0xa00/0xf00', table: '2005', action: 'lookup' },
      { line: 4, priority: 100, from: 'all', table: 'local', action: 'lookup' },
      { line: 5, priority: 32766, from: 'all', table: 'main', action: 'lookup' },
      { line: 6, priority: 32767, from: 'all', table: 'default', action: 'lookup' },
    ])
  })

  it('lab: tab-separated kernel output, a `not … to` rule', () => {
    expect(parseIpRule(labPod).records.map((r) => [r.line, r.priority, r.table])).toEqual([[1, 0, 'local'], [2, 32766, 'main'], [3, 32767, 'default']])
    const node = parseIpRule(labNode)
    expect(node.diagnostics).toEqual([])
    expect(node.records[2]).toEqual({ line: 3, priority: 1000, not: true, from: 'all', to: '10.99.0.0/16', table: 'main', action: 'lookup' })
  })

  it('an unreadable line is a diagnostic', () => {
    const { records, diagnostics } = parseIpRule(`${labPod}Error: argument "x" is wrong: invalid table ID\n`)
    expect(records).toHaveLength(3)
    expect(diagnostics).toEqual([{ line: 4, message: expect.stringContaining('Error: argument') }])
  })
})
