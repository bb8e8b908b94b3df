/**
 * parseCiliumIpcache — Cilium's ipcache: which identity owns a prefix and which node a remote
 * endpoint's packets go to. Three spellings:
 *
 *   `cilium map get cilium_ipcache` (≥1.6, `_v2` ≥1.18):
 *     172.20.1.99/32      identity=19327 encryptkey=0 tunnelendpoint=192.168.10.101 flags=<none>   sync
 *     → { line, prefix: '172.20.1.99/32', identity: 19327, encryptKey: 0, tunnelEndpoint: '192.168.10.101', flags: [], state: 'sync' }
 *   `cilium map get cilium_ipcache` (1.5, identity only):
 *     10.15.38.236/32          104     sync
 *     → { line, prefix: '10.15.38.236/32', identity: 104, state: 'sync' }
 *   `bpftool map lookup pinned …/cilium_ipcache key hex …` (raw struct ipcache_key / remote_endpoint_info):
 *     key:
 *     40 00 00 00 00 00 00 01  0a 00 01 6e 00 00 00 00
 *     00 00 00 00 00 00 00 00
 *     value:
 *     e3 d1 00 00 ac 12 00 05  00 00 00 00
 *     → { line: <key: line>, lines: [all of them], prefix: '10.0.1.110/32', identity: 53729, tunnelEndpoint: '172.18.0.5' }
 *
 * The key's LPM length counts the 32 bits of padding and family before the address; the value
 * starts with the identity (host byte order, little endian on x86/arm64) and the tunnel endpoint
 * (network byte order).
 */
import type { CiliumIpcacheRecord, Diagnostic, ParseResult } from '@/lib/model/records'
import { isIPv4, normalisePrefix, splitLines, stripAnsi, words } from './common'
import { parseUint } from './addr-port'
import { noteSkipped } from './skipped'

const HEX_BYTE = /^[0-9a-fA-F]{2}$/

export function parseCiliumIpcache(text: string): ParseResult<CiliumIpcacheRecord> {
  const records: CiliumIpcacheRecord[] = []
  const diagnostics: Diagnostic[] = []
  const lines = splitLines(text)
  // bpftool hex entry being read: which part, its bytes, its lines
  let hex: { part: 'key' | 'value'; key: number[]; value: number[]; lines: number[] } | undefined

  const flushHex = () => {
    if (!hex) return
    const rec = decodeHexEntry(hex.key, hex.value, hex.lines)
    if (rec) records.push(rec)
    else diagnostics.push({ line: hex.lines[0] ?? 1, message: 'bpftool ipcache entry whose key or value cannot be decoded' })
    hex = undefined
  }

  for (let i = 0; i < lines.length; i++) {
    const ln = i + 1
    const raw = stripAnsi(lines[i] as string)
    const w = words(raw)
    if (w.length === 0) continue
    const head = w[0] as string

    // ---- bpftool: `key:` / `value:` labels, possibly with the bytes on the same line
    if (head === 'key:' || head === 'value:') {
      if (head === 'key:') {
        flushHex()
        hex = { part: 'key', key: [], value: [], lines: [ln] }
      } else if (hex) {
        hex.part = 'value'
        hex.lines.push(ln)
      } else {
        noteSkipped(diagnostics, ln, raw, 'an ipcache entry')
        continue
      }
      const rest = w.slice(1)
      if (rest.every((t) => HEX_BYTE.test(t))) pushBytes(hex, rest)
      continue
    }
    if (hex && w.every((t) => HEX_BYTE.test(t))) {
      pushBytes(hex, w)
      hex.lines.push(ln)
      continue
    }
    flushHex()

    // ---- cilium map get / bpf ipcache list rows
    if ((head === 'Key' && w[1] === 'Value') || (head === 'IP' && /^PREFIX/.test(w[1] ?? ''))) continue
    const prefix = normalisePrefix(head)
    if (!prefix || w.length < 2) {
      noteSkipped(diagnostics, ln, raw, 'an ipcache entry')
      continue
    }
    const rec = tableRow(ln, prefix, w.slice(1))
    if (rec) records.push(rec)
    else noteSkipped(diagnostics, ln, raw, 'an ipcache entry')
  }
  flushHex()
  return { records, diagnostics }
}

function pushBytes(hex: { part: 'key' | 'value'; key: number[]; value: number[] }, tokens: string[]): void {
  const into = hex.part === 'key' ? hex.key : hex.value
  for (const t of tokens) into.push(parseInt(t, 16))
}

/** `identity=6 encryptkey=0 tunnelendpoint=1.2.3.4 flags=<none> sync` or `104 sync`. */
function tableRow(line: number, prefix: string, cells: string[]): CiliumIpcacheRecord | undefined {
  const rec: CiliumIpcacheRecord = { line, prefix }
  let understood = false
  for (let k = 0; k < cells.length; k++) {
    const c = cells[k] as string
    const eq = c.indexOf('=')
    if (eq > 0) {
      const key = c.slice(0, eq).toLowerCase()
      const value = c.slice(eq + 1)
      if (key === 'identity' || key === 'sec_label' || key === 'id') {
        const n = parseUint(value)
        if (n !== undefined) rec.identity = n
        understood = true
      } else if (key === 'encryptkey' || key === 'key') {
        const n = parseUint(value)
        if (n !== undefined) rec.encryptKey = n
      } else if (key === 'tunnelendpoint' || key === 'tunnel_endpoint') {
        if (isIPv4(value) || value.indexOf(':') !== -1) rec.tunnelEndpoint = value
        understood = true
      } else if (key === 'flags') {
        rec.flags = value === '<none>' || value === '' ? [] : value.split(',')
      }
      continue
    }
    if (k === 0 && rec.identity === undefined) {
      const n = parseUint(c)
      if (n !== undefined) {
        rec.identity = n
        understood = true
        continue
      }
    }
    // the State column, then an Error message if any
    if (rec.state === undefined && /^[a-z][a-z-]*$/.test(c)) rec.state = c
  }
  return understood ? rec : undefined
}

function decodeHexEntry(key: number[], value: number[], lines: number[]): CiliumIpcacheRecord | undefined {
  // struct ipcache_key: u32 lpm prefixlen, u16 pad/cluster, u8 pad, u8 family, 16 bytes of address
  if (key.length < 12 || value.length < 8) return undefined
  const lpm = (key[0] as number) | ((key[1] as number) << 8) | ((key[2] as number) << 16) | ((key[3] as number) << 24)
  const family = key[7]
  if (family !== 1) return undefined // IPv6 keys (family 2) are not read yet
  const prefixLength = lpm - 32
  if (prefixLength < 0 || prefixLength > 32) return undefined
  const ip = key.slice(8, 12).join('.')
  const identity = ((value[0] as number) | ((value[1] as number) << 8) | ((value[2] as number) << 16) | ((value[3] as number) << 24)) >>> 0
  const rec: CiliumIpcacheRecord = {
    line: lines[0] ?? 1,
    lines: [...lines],
    prefix: `${ip}/${prefixLength}`,
    identity,
    tunnelEndpoint: value.slice(4, 8).join('.'),
  }
  return rec
}
