/**
 * Reads the capture endpoint's NDJSON stream line by line as it arrives, so each command shows
 * up on the page the moment it starts and ends.
 */
import type { Capture } from '@/lib/model/capture'

export type LiveEvent =
  | { type: 'start'; hostId: string; command: string }
  | { type: 'end'; hostId: string; command: string; exitCode: number; durationMs: number; truncated?: boolean; timedOut?: boolean; error?: string }
  | { type: 'note'; level: 'info' | 'warning' | 'error'; message: string }
  | { type: 'result'; capture: Capture; errors: string[] }
  | { type: 'fatal'; error: string; kind: string }

/** Splits text into complete lines; returns them and the unfinished rest. */
export function splitLines(buffer: string): { lines: string[]; rest: string } {
  const parts = buffer.split('\n')
  const rest = parts.pop() ?? ''
  return { lines: parts.filter((l) => l.trim() !== ''), rest }
}

export async function readNdjson(body: ReadableStream<Uint8Array>, onEvent: (e: LiveEvent) => void): Promise<void> {
  const reader = body.getReader()
  const decoder = new TextDecoder()
  let buffer = ''
  for (;;) {
    const { value, done } = await reader.read()
    if (value) buffer += decoder.decode(value, { stream: true })
    const { lines, rest } = splitLines(done ? buffer + '\n' : buffer)
    buffer = rest
    for (const line of lines) onEvent(JSON.parse(line) as LiveEvent)
    if (done) return
  }
}
