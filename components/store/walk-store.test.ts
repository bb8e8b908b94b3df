import { describe, expect, it } from 'vitest'
import { buildWalkView } from '@/lib/view/evidence-windows'
import { seedWalk } from '@/lib/view/seed-walk.fixture'
import { createWalkStore } from './walk-store'
import type { WalkApi } from './walk-api'

const { capture, walk } = seedWalk()
const view = buildWalkView(capture, walk, { id: 'seed-doks', title: 'seed', embedded: true, capturedAt: capture.capturedAt })
const hops = walk.hops.length

function make(api: Partial<WalkApi> = {}, step = 0) {
  const fail = async () => ({ ok: false as const, error: 'not in this test' })
  return createWalkStore(
    { view, captures: [view.capture], step, theme: 'light', lang: 'fr' },
    { fetchView: fail, upload: fail, fetchLines: fail, ...api },
  )
}

describe('walk store', () => {
  it('steps within the walk and remembers where the packet came from', () => {
    const s = make()
    s.getState().prev()
    expect(s.getState().step).toBe(0)
    s.getState().next()
    expect(s.getState()).toMatchObject({ step: 1, prevStep: 0 })
    s.getState().last()
    expect(s.getState()).toMatchObject({ step: hops - 1, prevStep: 1 })
    s.getState().next()
    expect(s.getState().step).toBe(hops - 1)
    s.getState().selectHop(99)
    expect(s.getState().step).toBe(hops - 1)
  })

  it('clamps a deep link past the end', () => {
    expect(make({}, 40).getState().step).toBe(hops - 1)
  })

  it('plays from the start again when play is pressed on the last hop, and stops at the end', () => {
    const s = make({}, hops - 1)
    s.getState().play()
    expect(s.getState()).toMatchObject({ step: 0, playing: true })
    s.getState().last()
    s.getState().next()
    expect(s.getState().playing).toBe(false)
  })

  it('keeps the current walk when an opened file is rejected, and names the bad field', async () => {
    const s = make({ upload: async () => ({ ok: false, status: 400, error: 'invalid capture: hosts.pod.runs[0].exitCode: expected number' }) })
    s.getState().next()
    await s.getState().uploadCapture('{}', 'bad.json')
    expect(s.getState().view).toBe(view)
    expect(s.getState().step).toBe(1)
    expect(s.getState().notice).toEqual({ kind: 'error', key: 'error.invalid', params: { error: 'hosts.pod.runs[0].exitCode: expected number' } })
  })

  it('shows an opened capture from its first hop and adds it to the picker', async () => {
    const opened = { ...view, capture: { ...view.capture, id: 'u-1', title: 'mine', embedded: false } }
    const s = make({ upload: async () => ({ ok: true, view: opened }) }, 4)
    await s.getState().uploadCapture('{}', 'mine.json')
    expect(s.getState()).toMatchObject({ step: 0, prevStep: null, notice: null })
    expect(s.getState().captures.map((c) => c.id)).toEqual(['seed-doks', 'u-1'])
  })

  it('merges lines loaded on demand into the output window', async () => {
    const key = Object.keys(view.outputs)[0]!
    const s = make({ fetchLines: async (captureId, _out, from) => ({ ok: true, captureId, from, lines: ['extra'], totalLines: 99 }) })
    const before = s.getState().view.outputs[key]!
    const end = before.chunks[before.chunks.length - 1]!
    const next = end.from + end.lines.length
    await s.getState().loadMoreLines(key, next, 1)
    const after = s.getState().view.outputs[key]!
    expect(after.chunks[after.chunks.length - 1]!.lines.at(-1)).toBe('extra')
    expect(view.outputs[key]).toBe(before)
  })

  it('asks for the reply walk through the API and switches to it only when there is one', async () => {
    const asked: string[] = []
    const none = make({ fetchView: async (id, direction) => (asked.push(`${id}:${direction}`), { ok: false, status: 404, error: 'none' }) })
    await none.getState().probeReply()
    expect(asked).toEqual(['seed-doks:reply'])
    expect(none.getState().walks.reply).toBeNull()
    none.getState().setDirection('reply')
    expect(none.getState()).toMatchObject({ direction: 'request', view })

    // A reply view: the same capture, shown from its first hop when the switch is pressed.
    const reply = { ...view, walk: { ...view.walk, hops: view.walk.hops.slice(0, 3) } }
    const s = make({ fetchView: async () => ({ ok: true, view: reply }) }, 5)
    await s.getState().probeReply()
    s.getState().setDirection('reply')
    expect(s.getState()).toMatchObject({ direction: 'reply', view: reply, step: 0 })
    s.getState().setDirection('request')
    expect(s.getState()).toMatchObject({ direction: 'request', view })
  })
})
