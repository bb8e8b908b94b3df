/**
 * The single mapping from a walk to the canvas: one box per place group (pod namespace, node,
 * world), one node per hop inside its box, plus the application that sends the packet and the
 * destination it goes to. Pure and DOM-free, so layout is unit-tested (no overlaps, fits 1280×720).
 *
 * Inside a box, stops fill columns top to bottom (a zigzag), so consecutive hops stay adjacent
 * and the whole walk reads left to right like a teacher's drawing: pod → node → world.
 */
import type { HopKind, Walk } from '@/lib/model/walk'
import { groupOf, placeOf, type Group, type Place } from './places'
import type { HostSummary } from './walk-view'

export const NODE_W = 176
export const NODE_H = 68
const GAP_X = 22
const GAP_Y = 16
const PAD_X = 12
const PAD_TOP = 30
const PAD_BOTTOM = 12
const GROUP_GAP = 32

/** The canvas area at 1280×720 (full width, about half the height below the header). */
export const CANVAS_1280 = { width: 1254, height: 290 }

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
  role: 'source' | 'destination'
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

export interface FlowEdgeSpec {
  id: string
  source: string
  target: string
  sourceHandle: 'right' | 'bottom'
  targetHandle: 'left' | 'top'
  type: 'hop'
  /** `step`: the hop the packet reaches along this edge (hops.length for the destination). */
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

function stopsOf(walk: Walk, hosts: Record<string, HostSummary>): Stop[] {
  const podHosts = [...new Set(walk.hops.filter((h) => hosts[h.host]?.role === 'pod').map((h) => h.host))]
  const podIp = (host: string) => (host === podHosts[0] ? walk.flow.source.ip : walk.flow.destination.ip)
  const hopStops: Stop[] = walk.hops.map((hop, step) => ({
    id: `hop-${step}`,
    group: groupOf(hop, hosts, podIp(hop.host)),
    type: 'place',
    data: { step, kind: hop.kind, place: placeOf(hop), proven: hop.proven !== false, prove: hop.prove?.command },
  }))
  const first = hopStops[0]?.group ?? { id: 'world', kind: 'world' as const, name: '' }
  const src = walk.flow.source
  const stops: Stop[] = [
    { id: 'source', group: first, type: 'endpoint', data: { role: 'source', ip: src.ip, label: src.pod } },
    ...hopStops,
  ]
  if (walk.hops[walk.hops.length - 1]?.kind !== 'deliver') {
    const dst = walk.flow.destination
    stops.push({
      id: 'destination',
      group: { id: 'world', kind: 'world', name: '' },
      type: 'endpoint',
      data: { role: 'destination', ip: dst.ip, port: dst.port, label: dst.pod ?? dst.service },
    })
  }
  return stops
}

function groupWidth(count: number, rows: number): number {
  const cols = Math.max(1, Math.ceil(count / rows))
  return 2 * PAD_X + cols * NODE_W + (cols - 1) * GAP_X
}

function place(stops: Stop[], rows: number): FlowLayout {
  const order: Group[] = []
  const members = new Map<string, Stop[]>()
  for (const s of stops) {
    const list = members.get(s.group.id)
    if (list) list.push(s)
    else {
      order.push(s.group)
      members.set(s.group.id, [s])
    }
  }
  const usedRows = Math.min(rows, Math.max(...order.map((g) => members.get(g.id)?.length ?? 1)))
  const height = PAD_TOP + usedRows * NODE_H + (usedRows - 1) * GAP_Y + PAD_BOTTOM
  const nodes: FlowNodeSpec[] = []
  const slot = new Map<string, { col: number; row: number; group: string }>()
  let x = 0
  for (const g of order) {
    const list = members.get(g.id) ?? []
    const width = groupWidth(list.length, usedRows)
    const gid = `group-${g.id}`
    nodes.push({ id: gid, type: 'box', position: { x, y: 0 }, width, height, draggable: false, data: { group: g } })
    list.forEach((s, k) => {
      const col = Math.floor(k / usedRows)
      const row = k % usedRows
      slot.set(s.id, { col, row, group: g.id })
      const position = { x: PAD_X + col * (NODE_W + GAP_X), y: PAD_TOP + row * (NODE_H + GAP_Y) }
      const base = { id: s.id, position, width: NODE_W, height: NODE_H, parentId: gid, extent: 'parent' as const, draggable: false as const }
      nodes.push(s.type === 'place' ? { ...base, type: 'place', data: s.data } : { ...base, type: 'endpoint', data: s.data })
    })
    x += width + GROUP_GAP
  }
  const edges: FlowEdgeSpec[] = []
  for (let i = 1; i < stops.length; i++) {
    const a = stops[i - 1]
    const b = stops[i]
    if (!a || !b) continue
    const sa = slot.get(a.id)
    const sb = slot.get(b.id)
    const down = !!sa && !!sb && sa.group === sb.group && sa.col === sb.col && sb.row === sa.row + 1
    edges.push({
      id: `edge-${a.id}-${b.id}`,
      source: a.id,
      target: b.id,
      sourceHandle: down ? 'bottom' : 'right',
      targetHandle: down ? 'top' : 'left',
      type: 'hop',
      data: { step: i - 1, proven: b.type === 'place' ? b.data.proven : true },
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
 * Lays the walk out with 2, 3 or 4 rows per box and keeps the one that fits `canvas` at the
 * largest zoom, so a typical walk (about ten hops) is readable on a 1280×720 projector unzoomed.
 */
export function walkToFlow(
  walk: Walk,
  hosts: Record<string, HostSummary>,
  canvas: { width: number; height: number } = CANVAS_1280,
): FlowLayout {
  const stops = stopsOf(walk, hosts)
  const layouts = [2, 3, 4].map((rows) => place(stops, rows))
  return layouts.reduce((best, l) => (fitZoom(l, canvas) > fitZoom(best, canvas) + 1e-9 ? l : best))
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

/** Absolute end points of an edge, as React Flow computes them, for the travelling packet. */
export function edgeEnds(layout: FlowLayout, edge: FlowEdgeSpec) {
  const a = absolutePosition(layout, edge.source) ?? { x: 0, y: 0 }
  const b = absolutePosition(layout, edge.target) ?? { x: 0, y: 0 }
  const source =
    edge.sourceHandle === 'right'
      ? { x: a.x + NODE_W + HANDLE_HALF, y: a.y + NODE_H / 2 }
      : { x: a.x + NODE_W / 2, y: a.y + NODE_H + HANDLE_HALF }
  const target =
    edge.targetHandle === 'left' ? { x: b.x - HANDLE_HALF, y: b.y + NODE_H / 2 } : { x: b.x + NODE_W / 2, y: b.y - HANDLE_HALF }
  return {
    sourceX: source.x,
    sourceY: source.y,
    targetX: target.x,
    targetY: target.y,
    sourcePosition: edge.sourceHandle,
    targetPosition: edge.targetHandle,
  }
}
