/**
 * parseIflink — `cat /sys/class/net/<dev>/iflink`: the ifindex of the device's peer (for a pod's
 * eth0, the node-side veth), or its own ifindex when it has no peer.
 *
 *   25   → { line: 1, ifindex: 25 }
 */
import type { Diagnostic, ParseResult } from '@/lib/model/records'
import { clip, isNoise, splitLines, stripAnsi } from './common'

export interface IflinkRecord {
  line: number
  ifindex: number
}

export function parseIflink(text: string): ParseResult<IflinkRecord> {
  const records: IflinkRecord[] = []
  const diagnostics: Diagnostic[] = []
  const lines = splitLines(text)
  for (let i = 0; i < lines.length; i++) {
    const line = stripAnsi(lines[i] as string)
    const t = line.trim()
    if (t.length === 0) continue
    if (/^\d{1,10}$/.test(t)) {
      records.push({ line: i + 1, ifindex: Number(t) })
      continue
    }
    if (isNoise(t)) continue
    diagnostics.push({ line: i + 1, message: `not an ifindex: ${clip(line)}` })
  }
  if (records.length > 1) {
    diagnostics.push({ line: (records[1] as IflinkRecord).line, message: 'more than one ifindex: the output holds several files' })
  }
  return { records, diagnostics }
}
