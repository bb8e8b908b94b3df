import { describe, expect, it } from 'vitest'
import type { Walk } from '@/lib/model/walk'
import { CANVAS_1280, GAP_Y, NODE_H, NODE_W, absolutePosition, edgeEnds, fitZoom, walkToFlow, type FlowLayout } from './walk-to-flow'
import { seedWalk } from './seed-walk.fixture'

type Rect = { id: string; x: number; y: number; w: number; h: number }
type Segment = { id: string; x1: number; y1: number; x2: number; y2: number }

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

function segments(layout: FlowLayout): Segment[] {
  return layout.edges.map((e) => {
    const p = edgeEnds(layout, e)
    return { id: e.id, x1: p.sourceX, y1: p.sourceY, x2: p.targetX, y2: p.targetY }
  })
}

/** Every edge is one straight segment that touches no place but its own two, and no two edges cross. */
function expectStraightUncrossedEdges(layout: FlowLayout) {
  const leaves = rects(layout, 'leaf')
  const segs = segments(layout)
  layout.edges.forEach((e, i) => {
    const s = segs[i]!
    expect(s.x1 === s.x2 || s.y1 === s.y2, `${e.id} is not straight`).toBe(true)
    const box = { id: s.id, x: Math.min(s.x1, s.x2), y: Math.min(s.y1, s.y2), w: Math.abs(s.x2 - s.x1) || 0.5, h: Math.abs(s.y2 - s.y1) || 0.5 }
    for (const r of leaves) if (r.id !== e.source && r.id !== e.target) expect(overlap(box, r), `${e.id} runs through ${r.id}`).toBe(false)
  })
  for (let i = 0; i < segs.length; i++)
    for (let j = i + 1; j < segs.length; j++) {
      const a = segs[i]!
      const b = segs[j]!
      const ra = { id: a.id, x: Math.min(a.x1, a.x2), y: Math.min(a.y1, a.y2), w: Math.abs(a.x2 - a.x1) || 0.5, h: Math.abs(a.y2 - a.y1) || 0.5 }
      const rb = { id: b.id, x: Math.min(b.x1, b.x2), y: Math.min(b.y1, b.y2), w: Math.abs(b.x2 - b.x1) || 0.5, h: Math.abs(b.y2 - b.y1) || 0.5 }
      expect(overlap(ra, rb), `${a.id} crosses ${b.id}`).toBe(false)
    }
}

const parentOf = (layout: FlowLayout, id: string) => layout.nodes.find((n) => n.id === id)?.parentId

describe('walkToFlow on the seed lab', () => {
  const { walk, hosts } = seedWalk()
  const layout = walkToFlow(walk, hosts)
  const egress = walk.hops.length - 1

  it('draws one place per hop, the sending application, the next hop router and the destination', () => {
    expect(layout.hopNodeIds).toEqual(walk.hops.map((_, i) => `hop-${i}`))
    const endpoints = layout.nodes.filter((n) => n.type === 'endpoint').map((n) => [n.id, n.data])
    expect(endpoints).toEqual([
      ['source', { role: 'source', ip: '10.244.0.213', label: undefined }],
      ['router', { role: 'router', ip: '165.22.16.1' }],
      ['destination', { role: 'destination', ip: '1.0.0.1', port: 80, label: undefined }],
    ])
  })

  it('groups like the teacher: pod namespace; the node up to its eth0; beyond it the router and the destination', () => {
    expect(walk.hops[egress]?.kind).toBe('egress')
    expect(parentOf(layout, 'source')).toBe('group-pod:pod')
    expect(parentOf(layout, 'hop-0')).toBe('group-pod:pod') // pod route -n
    expect(parentOf(layout, 'hop-1')).toBe('group-pod:pod') // pod arp -an
    for (let i = 2; i <= egress; i++) expect(parentOf(layout, `hop-${i}`), `hop ${i + 1}`).toBe('group-node:node-7o7xd')
    expect(parentOf(layout, 'router')).toBe('group-world')
    expect(parentOf(layout, 'destination')).toBe('group-world')
    const boxes = layout.nodes.filter((n) => n.type === 'box').map((n) => (n.data as { group: unknown }).group)
    expect(boxes).toEqual([
      { id: 'pod:pod', kind: 'pod', name: '10.244.0.213' },
      { id: 'node:node-7o7xd', kind: 'node', name: 'node-7o7xd' },
      { id: 'world', kind: 'world', name: '' },
    ])
    // Inside the node: the lxc end, the BPF program on it, conntrack, routing, NAT, …, eth0 last.
    const kinds = walk.hops.slice(2).map((h) => h.kind)
    expect(kinds).toEqual(['veth', 'bpf', 'conntrack', 'conntrack', 'route', 'nat', 'neighbor', 'egress'])
  })

  it('chains edges in walk order and dashes the way into the unproven node ARP hop', () => {
    expect(layout.edges.map((e) => `${e.source}>${e.target}`)).toEqual([
      'source>hop-0',
      ...walk.hops.slice(1).map((_, i) => `hop-${i}>hop-${i + 1}`),
      `hop-${egress}>router`,
      'router>destination',
    ])
    const unproven = walk.hops.findIndex((h) => h.proven === false)
    expect(walk.hops[unproven]?.kind).toBe('neighbor')
    expect(layout.edges.find((e) => e.target === `hop-${unproven}`)?.data.proven).toBe(false)
    expect(layout.edges.filter((e) => !e.data.proven)).toHaveLength(1)
    // The packet sits on the edge into the current hop; beyond the last hop no edge is "taken".
    expect(layout.edges.map((e) => e.data.step)).toEqual([...walk.hops.map((_, i) => i), walk.hops.length, walk.hops.length])
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

  it('draws every edge as one straight segment between neighbours: none crosses a place or another edge', () => {
    expectStraightUncrossedEdges(layout)
    // Neighbours: one gap apart, so the order of the path is visible without the numbers.
    for (const s of segments(layout)) expect(Math.abs(s.x2 - s.x1) + Math.abs(s.y2 - s.y1), s.id).toBeLessThanOrEqual(3 * 12 + 36 + 6)
  })

  it('leaves the packet envelope (20 px) room to rest between two places of a column', () => {
    expect(GAP_Y - 3).toBeGreaterThanOrEqual(20)
  })

  it('the egress interface is the node box’s last place and sits on the same row as the router', () => {
    const eth0 = absolutePosition(layout, `hop-${egress}`)!
    const router = absolutePosition(layout, 'router')!
    expect(eth0.y).toBe(router.y)
    const nodeBox = rects(layout, 'box').find((b) => b.id === 'group-node:node-7o7xd')!
    expect(eth0.x + NODE_W).toBeGreaterThan(nodeBox.x + nodeBox.w - NODE_W - 20)
  })

  it('fits the 1280×720 canvas at a readable zoom (13-px titles stay ≥ 12.5 px)', () => {
    expect(layout.rows).toBe(3)
    expect(fitZoom(layout, CANVAS_1280)).toBeGreaterThanOrEqual(0.97)
  })

  it('stays overlap-free and uncrossed for a walk three times as long (the node box is drawn again when revisited)', () => {
    const long: Walk = { ...walk, hops: [...walk.hops, ...walk.hops, ...walk.hops] }
    const big = walkToFlow(long, hosts)
    expectNoOverlap(rects(big, 'leaf'))
    expectNoOverlap(rects(big, 'box'))
    expectStraightUncrossedEdges(big)
    expect(big.edges).toHaveLength(long.hops.length + 2)
    expect(rects(big, 'box').map((b) => b.id)).toContain('group-node:node-7o7xd~3')
  })

  it('a walk that ends delivered inside the node has no world box; one without a next hop has no router', () => {
    const delivered: Walk = { ...walk, hops: [...walk.hops.slice(0, 4), { ...walk.hops[egress]!, kind: 'deliver', place: undefined, facts: { device: 'eth0', ip: '1.0.0.1' } }] }
    const d = walkToFlow(delivered, hosts)
    expect(d.nodes.filter((n) => n.type === 'box').map((n) => n.id)).toEqual(['group-pod:pod', 'group-node:node-7o7xd'])
    expect(d.nodes.some((n) => n.id === 'destination' || n.id === 'router')).toBe(false)
    const direct: Walk = { ...walk, hops: walk.hops.map((h, i) => (i === egress ? { ...h, facts: { device: 'eth0' } } : h)) }
    const r = walkToFlow(direct, hosts)
    expect(r.nodes.filter((n) => parentOf(r, n.id) === 'group-world').map((n) => n.id)).toEqual(['destination'])
    expectStraightUncrossedEdges(d)
    expectStraightUncrossedEdges(r)
  })

  it('lays a short walk out in fewer rows, at a larger zoom', () => {
    const short: Walk = { ...walk, hops: walk.hops.slice(0, 2) }
    const s = walkToFlow(short, hosts)
    expect(s.rows).toBeLessThanOrEqual(2)
    expect(fitZoom(s, CANVAS_1280)).toBeGreaterThan(fitZoom(layout, CANVAS_1280))
    expectStraightUncrossedEdges(s)
  })
})
