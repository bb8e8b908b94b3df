import { describe, expect, it } from 'vitest'
import { focusViewport } from './viewport'
import { CANVAS_1280, CANVAS_PROJECTION, NODE_H, NODE_W, absolutePosition, walkToFlow } from './walk-to-flow'
import { seedWalk } from './seed-walk.fixture'

describe('focusViewport on the seed walk', () => {
  const { walk, hosts } = seedWalk()

  for (const [mode, canvas, minZoom] of [
    ['projection', CANVAS_PROJECTION, 1.5],
    ['normal', CANVAS_1280, 1],
  ] as const)
    it(`${mode}: never below ${minZoom}× and the current hop and the next stop are always on screen`, () => {
      const layout = walkToFlow(walk, hosts, canvas, minZoom)
      walk.hops.forEach((_, step) => {
        const v = focusViewport(layout, step, canvas, { minZoom, maxZoom: 2.2 })
        expect(v.zoom).toBeGreaterThanOrEqual(minZoom)
        const id = layout.hopNodeIds[step]!
        const next = layout.edges.find((e) => e.source === id)?.target
        for (const n of [id, next]) {
          if (!n) continue
          const p = absolutePosition(layout, n)!
          const x0 = p.x * v.zoom + v.x
          const y0 = p.y * v.zoom + v.y
          expect(x0, `${n} at step ${step + 1}`).toBeGreaterThanOrEqual(-0.5)
          expect(x0 + NODE_W * v.zoom).toBeLessThanOrEqual(canvas.width + 0.5)
          expect(y0).toBeGreaterThanOrEqual(-0.5)
          expect(y0 + NODE_H * v.zoom).toBeLessThanOrEqual(canvas.height + 0.5)
        }
      })
    })

  it('shows the walk whole when it fits at a readable zoom', () => {
    const big = { width: 4000, height: 1200 }
    const layout = walkToFlow(walk, hosts, big, 1)
    expect(focusViewport(layout, 3, big, { minZoom: 1, maxZoom: 1.6 })).toMatchObject({ whole: true })
  })
})
