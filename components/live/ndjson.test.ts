import { describe, expect, it } from 'vitest'
import { readNdjson, splitLines, type LiveEvent } from './ndjson'

describe('readNdjson', () => {
  it('delivers each event once its line is complete, whatever the chunk boundaries', async () => {
    const lines = [
      { type: 'start', hostId: 'client', command: 'ip addr' },
      { type: 'end', hostId: 'client', command: 'ip addr', exitCode: 0, durationMs: 41 },
      { type: 'fatal', error: 'pod default/x not found (context "lab")', kind: 'not-found' },
    ]
    const text = lines.map((l) => JSON.stringify(l)).join('\n') + '\n'
    const bytes = new TextEncoder().encode(text)
    // cut in the middle of the first line and of a multi-byte-free JSON string
    const cuts = [10, 57, bytes.length - 5]
    const chunks = [bytes.slice(0, cuts[0]), bytes.slice(cuts[0], cuts[1]), bytes.slice(cuts[1], cuts[2]), bytes.slice(cuts[2])]
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        for (const ch of chunks) c.enqueue(ch)
        c.close()
      },
    })
    const got: LiveEvent[] = []
    await readNdjson(body, (e) => got.push(e))
    expect(got).toEqual(lines)
  })

  it('keeps an unfinished line for later', () => {
    expect(splitLines('{"a":1}\n{"b"')).toEqual({ lines: ['{"a":1}'], rest: '{"b"' })
  })
})
