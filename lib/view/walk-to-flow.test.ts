import { describe, expect, it } from 'vitest'
import { CANVAS_1280, NODE_H, NODE_W, absolutePosition, fitZoom, walkToFlow, type FlowLayout } from './walk-to-flow'
import { seedWalk } from './seed-walk.fixture'

type Rect = { id: string; x: number; y: number; w: number; h: number }

function rects(layout: FlowLayout, type: 'box' | 'leaf'): Rect[] {
  return layout.nodes
    .filter((n) => (type === 'box' ? n.type === 'box' : n.type !== 'box'))
    .map((n) => {
      const p = absolutePosition(layout, n.id) ?? { x: NaN, y: NaN }
      return { id: n.id, x: p.x, y: p.y, w: n.width, h: n.height }
    })
}

const overlap = (a: Rect, b: Rect) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h

function expectNoOverlap(list: Rect[]) {
  for (let i = 0; i < list.length; i++)
    for (let j = i + 1; j < list.length; j++) {
      const a = list[i]!
      const b = list[j]!
      expect(overlap(a, b), `${a.id} overlaps ${b.id}`).toBe(false)
    }
}

describe('walkToFlow on the seed lab', () => {
  const { walk, hosts } = seedWalk()
  const layout = walkToFlow(walk, hosts)

  it('draws one place per hop, the sending application and the destination', () => {
    expect(layout.hopNodeIds).toEqual(walk.hops.map((_, i) => `hop-${i}`))
    const endpoints = layout.nodes.filter((n) => n.type === 'endpoint').map((n) => n.id)
    expect(endpoints).toEqual(['source', 'destination'])
  })

  it('groups hops like the teacher: pod namespace, node, world', () => {
    const parentOf = (id: string) => layout.nodes.find((n) => n.id === id)?.parentId
    expect(parentOf('source')).toBe('group-pod:pod')
    expect(parentOf('hop-0')).toBe('group-pod:pod') // pod route -n
    expect(parentOf('hop-1')).toBe('group-pod:pod') // pod arp -an
    for (const i of [2, 3, 4, 5, 6, 7, 8]) expect(parentOf(`hop-${i}`)).toBe('group-node:node-7o7xd')
    expect(parentOf('destination')).toBe('group-world')
    const boxes = layout.nodes.filter((n) => n.type === 'box').map((n) => n.data)
    expect(boxes.map((b) => (b as { group: { kind: string; name: string } }).group)).toEqual([
      { id: 'pod:pod', kind: 'pod', name: '10.244.0.213' },
      { id: 'node:node-7o7xd', kind: 'node', name: 'node-7o7xd' },
      { id: 'world', kind: 'world', name: '' },
    ])
  })

  it('chains edges in walk order and dashes the way into the unproven node ARP hop', () => {
    expect(layout.edges.map((e) => `${e.source}>${e.target}`)).toEqual([
      'source>hop-0',
      ...walk.hops.slice(1).map((_, i) => `hop-${i}>hop-${i + 1}`),
      `hop-${walk.hops.length - 1}>destination`,
    ])
    const unproven = walk.hops.findIndex((h) => h.proven === false)
    expect(walk.hops[unproven]?.kind).toBe('neighbor')
    expect(layout.edges.find((e) => e.target === `hop-${unproven}`)?.data.proven).toBe(false)
    expect(layout.edges.filter((e) => !e.data.proven)).toHaveLength(1)
  })

  it('has no overlapping places or boxes, and keeps places inside their box', () => {
    expectNoOverlap(rects(layout, 'leaf'))
    expectNoOverlap(rects(layout, 'box'))
    for (const n of layout.nodes.filter((m) => m.parentId)) {
      const box = layout.nodes.find((m) => m.id === n.parentId)!
      expect(n.position.x).toBeGreaterThanOrEqual(0)
      expect(n.position.y).toBeGreaterThanOrEqual(0)
      expect(n.position.x + NODE_W).toBeLessThanOrEqual(box.width)
      expect(n.position.y + NODE_H).toBeLessThanOrEqual(box.height)
    }
  })

  it('fits the 1280×720 canvas at a readable zoom (13-px titles stay ≥ 11.5 px)', () => {
    expect(fitZoom(layout, CANVAS_1280)).toBeGreaterThanOrEqual(0.9)
  })

  it('stays overlap-free for a walk three times as long (more rows, still one chain)', () => {
    const long = { ...walk, hops: [...walk.hops, ...walk.hops, ...walk.hops] }
    const big = walkToFlow(long, hosts)
    expectNoOverlap(rects(big, 'leaf'))
    expectNoOverlap(rects(big, 'box'))
    expect(big.edges).toHaveLength(long.hops.length + 1)
    expect(big.rows).toBeGreaterThanOrEqual(3)
  })
})
