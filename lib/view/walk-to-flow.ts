/**
 * The single mapping from a walk to the canvas: one box per place group (pod namespace, node,
 * world), one node per hop inside its box, plus the application that sends the packet, the next
 * hop router beyond the node's interface and the destination. Pure and DOM-free, so layout is
 * unit-tested (no overlaps, straight edges, fits 1280×720).
 *
 * Stops are laid in a serpentine of columns: down the first column, up the next, down again…,
 * and each column starts on the row where the previous stop ended. So every edge is one short
 * straight segment (vertical inside a column, horizontal between columns), no edge crosses
 * another, and the walk reads left to right like a teacher's drawing: pod → node → world.
 */
import type { HopKind, Walk } from '@/lib/model/walk'
import { groupOf, placeOf, type Group, type Place } from './places'
import type { HostSummary } from './walk-view'
import { tailStops, wireBetween, WORLD, type EndpointRole, type TailStop } from './scenario'

export const NODE_W = 200
export const NODE_H = 66
/** Gaps between places: wide enough for the packet envelope to rest in without covering a place. */
export const GAP_X = 32
export const GAP_Y = 24
const PAD_X = 12
const PAD_TOP = 30
const PAD_BOTTOM = 12
const GROUP_GAP = 36

/** The canvas area at 1280×720 (full width, about half the height below the header). */
export const CANVAS_1280 = { width: 1254, height: 290 }
/** The canvas in projection at 1280×720: the left part of the stage, above the packet strip. */
export const CANVAS_PROJECTION = { width: 760, height: 470 }

export interface GroupData extends Record<string, unknown> {
  group: Group
}
export interface PlaceData extends Record<string, unknown> {
  step: number
  kind: HopKind
  place: Place
  proven: boolean
  /** Command that would prove an unproven hop. */
  prove?: string
}
export interface EndpointData extends Record<string, unknown> {
  /** `router`: the next hop beyond the node's egress interface; `peer`: the same inside the cluster (another node); `tunnel`: the tunnel's remote end. */
  role: EndpointRole
  ip: string
  port?: number
  label?: string
}

interface Base {
  id: string
  position: { x: number; y: number }
  width: number
  height: number
  parentId?: string
  /** React Flow: keep children inside the parent box. */
  extent?: 'parent'
  draggable: false
}
export type FlowNodeSpec =
  | (Base & { type: 'box'; data: GroupData })
  | (Base & { type: 'place'; data: PlaceData })
  | (Base & { type: 'endpoint'; data: EndpointData })

export type Side = 'left' | 'right' | 'top' | 'bottom'
/** Handle ids of components/canvas/handles.tsx: edges leave by `out-*` and arrive at `in-*`. */
export type SourceHandle = 'out-right' | 'out-bottom' | 'out-top'
export type TargetHandle = 'in-left' | 'in-top' | 'in-bottom'

export interface FlowEdgeSpec {
  id: string
  source: string
  target: string
  sourceHandle: SourceHandle
  targetHandle: TargetHandle
  type: 'hop'
  /** `step`: the hop the packet reaches along this edge (hops.length beyond the last hop). */
  data: { step: number; proven: boolean }
}

export interface FlowLayout {
  nodes: FlowNodeSpec[]
  edges: FlowEdgeSpec[]
  width: number
  height: number
  rows: number
  /** Node id of each hop, by hop index. */
  hopNodeIds: string[]
}

type Stop =
  | { id: string; group: Group; type: 'place'; data: PlaceData }
  | { id: string; group: Group; type: 'endpoint'; data: EndpointData }


const endpointStop = (t: TailStop): Stop => ({
  id: t.id,
  group: t.group,
  type: 'endpoint',
  data: { role: t.role, ip: t.ip, port: t.port, label: t.label },
})

function stopsOf(walk: Walk, hosts: Record<string, HostSummary>): Stop[] {
  const podHosts = [...new Set(walk.hops.filter((h) => hosts[h.host]?.role === 'pod').map((h) => h.host))]
  const podIp = (host: string) => (host === podHosts[0] ? walk.flow.source.ip : walk.flow.destination.ip)
  const hopStops: Stop[] = walk.hops.flatMap((hop, step) => {
    const stop: Stop = {
      id: `hop-${step}`,
      group: groupOf(hop, hosts, podIp(hop.host), walk.flow.destination.pod),
      type: 'place',
      data: { step, kind: hop.kind, place: placeOf(hop), proven: hop.proven !== false, prove: hop.prove?.command },
    }
    const wire = wireBetween(walk, hosts, step)
    return wire ? [stop, endpointStop(wire)] : [stop]
  })
  const first = hopStops[0]?.group ?? WORLD
  const src = walk.flow.source
  const stops: Stop[] = [
    { id: 'source', group: first, type: 'endpoint', data: { role: 'source', ip: src.ip, label: src.pod } },
    ...hopStops,
    ...tailStops(walk, hosts).map(endpointStop),
  ]
  return separateRevisits(stops)
}

/** A box the walk leaves and comes back to is drawn twice (`node:x`, then `node:x~2`), never stretched over another. */
function separateRevisits(stops: Stop[]): Stop[] {
  const seen = new Map<string, number>()
  let prev = ''
  return stops.map((s) => {
    const base = s.group.id
    if (base !== prev) seen.set(base, (seen.get(base) ?? 0) + 1)
    prev = base
    const n = seen.get(base) ?? 1
    return n === 1 ? s : { ...s, group: { ...s.group, id: `${base}~${n}` } }
  })
}

interface Slot {
  col: number
  row: number
  group: string
}

/**
 * Serpentine slots, group by group. A group's first column goes the way that holds more stops
 * from the entry row (the row the previous stop ended on); later columns reverse direction and
 * start on the row the previous column ended on.
 */
function serpentine(stops: Stop[], rows: number): Map<string, Slot> {
  const slots = new Map<string, Slot>()
  let col = -1
  let row = 0
  let dir: 1 | -1 = -1
  let group = ''
  let left = 0
  for (const s of stops) {
    const room = (d: 1 | -1) => (d === 1 ? rows - row : row + 1)
    if (s.group.id !== group) {
      const reversed: 1 | -1 = dir === 1 ? -1 : 1
      dir = room(reversed) >= room(dir) ? reversed : dir
      group = s.group.id
      col++
      left = room(dir)
    } else if (left === 0) {
      dir = dir === 1 ? -1 : 1
      col++
      left = room(dir)
    } else {
      row += dir
    }
    slots.set(s.id, { col, row, group })
    left--
  }
  return slots
}

function place(stops: Stop[], rows: number): FlowLayout {
  const slot = serpentine(stops, rows)
  const order: Group[] = []
  const cols = new Map<string, { first: number; last: number }>()
  let usedRows = 1
  for (const s of stops) {
    const sl = slot.get(s.id)
    if (!sl) continue
    usedRows = Math.max(usedRows, sl.row + 1)
    const c = cols.get(s.group.id)
    if (c) c.last = sl.col
    else {
      order.push(s.group)
      cols.set(s.group.id, { first: sl.col, last: sl.col })
    }
  }
  const height = PAD_TOP + usedRows * NODE_H + (usedRows - 1) * GAP_Y + PAD_BOTTOM
  const nodes: FlowNodeSpec[] = []
  let x = 0
  for (const g of order) {
    const c = cols.get(g.id) ?? { first: 0, last: 0 }
    const n = c.last - c.first + 1
    const width = 2 * PAD_X + n * NODE_W + (n - 1) * GAP_X
    const gid = `group-${g.id}`
    nodes.push({ id: gid, type: 'box', position: { x, y: 0 }, width, height, draggable: false, data: { group: g } })
    for (const s of stops) {
      const sl = slot.get(s.id)
      if (s.group.id !== g.id || !sl) continue
      const position = { x: PAD_X + (sl.col - c.first) * (NODE_W + GAP_X), y: PAD_TOP + sl.row * (NODE_H + GAP_Y) }
      const base = { id: s.id, position, width: NODE_W, height: NODE_H, parentId: gid, extent: 'parent' as const, draggable: false as const }
      nodes.push(s.type === 'place' ? { ...base, type: 'place', data: s.data } : { ...base, type: 'endpoint', data: s.data })
    }
    x += width + GROUP_GAP
  }
  const edges: FlowEdgeSpec[] = []
  const hops = stops.filter((s) => s.type === 'place').length
  // The step of an edge is the hop it leads to (the next hop at or after its target).
  const stepAt: number[] = []
  for (let i = stops.length - 1, next = hops; i >= 0; i--) {
    const st = stops[i]
    if (st?.type === 'place') next = st.data.step
    stepAt[i] = next
  }
  for (let i = 1; i < stops.length; i++) {
    const a = stops[i - 1]
    const b = stops[i]
    const sa = a && slot.get(a.id)
    const sb = b && slot.get(b.id)
    if (!a || !b || !sa || !sb) continue
    const vertical = sa.col === sb.col
    const down = sb.row > sa.row
    edges.push({
      id: `edge-${a.id}-${b.id}`,
      source: a.id,
      target: b.id,
      sourceHandle: vertical ? (down ? 'out-bottom' : 'out-top') : 'out-right',
      targetHandle: vertical ? (down ? 'in-top' : 'in-bottom') : 'in-left',
      type: 'hop',
      data: { step: stepAt[i] ?? hops, proven: b.type === 'place' ? b.data.proven : true },
    })
  }
  const hopNodeIds = stops.filter((s) => s.type === 'place').map((s) => s.id)
  return { nodes, edges, width: Math.max(0, x - GROUP_GAP), height, rows: usedRows, hopNodeIds }
}

/** The zoom at which a layout fills `canvas` (what React Flow's fitView will pick, padding aside). */
export function fitZoom(layout: Pick<FlowLayout, 'width' | 'height'>, canvas: { width: number; height: number }): number {
  return Math.min(canvas.width / layout.width, canvas.height / layout.height)
}

/**
 * Lays the walk out with 1 to 4 rows. When a layout fits `canvas` whole at `minZoom` or more,
 * keeps the one with the largest zoom (fewer rows on a tie), so a typical walk (about ten hops)
 * is seen whole. Otherwise the canvas will follow the packet at `minZoom`: keeps the narrowest
 * layout whose height still fits, so the view only slides sideways.
 */
export function walkToFlow(
  walk: Walk,
  hosts: Record<string, HostSummary>,
  canvas: { width: number; height: number } = CANVAS_1280,
  minZoom = 0,
): FlowLayout {
  const stops = stopsOf(walk, hosts)
  const layouts = [1, 2, 3, 4].map((rows) => place(stops, rows))
  const best = layouts.reduce((b, l) => (fitZoom(l, canvas) > fitZoom(b, canvas) + 1e-9 ? l : b))
  if (fitZoom(best, canvas) >= minZoom) return best
  const tall = layouts.filter((l) => l.height * minZoom <= canvas.height)
  return tall.length ? tall.reduce((b, l) => (l.width < b.width - 1e-9 ? l : b)) : best
}

/** Absolute top-left of a node (children are positioned relative to their group). */
export function absolutePosition(layout: FlowLayout, id: string): { x: number; y: number } | undefined {
  const n = layout.nodes.find((m) => m.id === id)
  if (!n) return undefined
  const parent = n.parentId ? layout.nodes.find((m) => m.id === n.parentId) : undefined
  return { x: n.position.x + (parent?.position.x ?? 0), y: n.position.y + (parent?.position.y ?? 0) }
}

/** Half the size of React Flow's default 6-px handle: edges start and end on the handle's outer side. */
const HANDLE_HALF = 3

export const sideOf = (handle: SourceHandle | TargetHandle): Side => handle.slice(handle.indexOf('-') + 1) as Side

/** Absolute point where an edge meets a node's side, as React Flow computes it. */
function anchor(p: { x: number; y: number }, side: Side) {
  switch (side) {
    case 'left':
      return { x: p.x - HANDLE_HALF, y: p.y + NODE_H / 2 }
    case 'right':
      return { x: p.x + NODE_W + HANDLE_HALF, y: p.y + NODE_H / 2 }
    case 'top':
      return { x: p.x + NODE_W / 2, y: p.y - HANDLE_HALF }
    case 'bottom':
      return { x: p.x + NODE_W / 2, y: p.y + NODE_H + HANDLE_HALF }
  }
}

/** Absolute end points of an edge, as React Flow computes them, for the travelling packet. */
export function edgeEnds(layout: FlowLayout, edge: FlowEdgeSpec) {
  const sourcePosition = sideOf(edge.sourceHandle)
  const targetPosition = sideOf(edge.targetHandle)
  const source = anchor(absolutePosition(layout, edge.source) ?? { x: 0, y: 0 }, sourcePosition)
  const target = anchor(absolutePosition(layout, edge.target) ?? { x: 0, y: 0 }, targetPosition)
  return { sourceX: source.x, sourceY: source.y, targetX: target.x, targetY: target.y, sourcePosition, targetPosition }
}
