/**
 * Test helpers: captures assembled from REAL command outputs (fixtures copied from the corpus or
 * captured on a real kernel). Only the capture's frame — host ids, roles, the flow — is written
 * here; every stdout is a fixture file, byte for byte.
 */
/// <reference types="vite/client" />
import type { Capture, CaptureHost, Flow, HostRole } from '@/lib/model/capture'

// lib/ stays free of node:fs: vite inlines the fixture files (verbatim text) at test time
const FILES = import.meta.glob(['./fixtures/*.txt', '../parsers/fixtures/*.txt'], { query: '?raw', import: 'default', eager: true }) as Record<string, string>

export function fixture(name: string): string {
  const text = FILES[`./fixtures/${name}`] ?? FILES[`../parsers/fixtures/${name}`]
  if (text === undefined) throw new Error(`fixture ${name} not found`)
  return text
}

export interface HostSpec {
  role: HostRole
  name?: string
  node?: string
  /** [command as it was run, fixture file with its stdout] */
  runs: [string, string][]
}

export function captureFrom(hosts: Record<string, HostSpec>, flow: Flow, config?: Record<string, string>): Capture {
  const out: Record<string, CaptureHost> = {}
  for (const [id, h] of Object.entries(hosts)) {
    out[id] = {
      role: h.role,
      name: h.name ?? id,
      ...(h.node ? { node: h.node } : {}),
      runs: h.runs.map(([command, file]) => ({ command, stdout: fixture(file), stderr: '', exitCode: 0 })),
    }
  }
  return {
    format: 'packetwalk/capture@1',
    capturedAt: '2026-01-01T00:00:00Z',
    cluster: { cni: 'cilium', ...(config ? { config } : {}) },
    flow,
    hosts: out,
  }
}
