'use client'
/**
 * The canvas: places grouped in boxes (pod namespace, node, world), hops in the order the packet
 * meets them, and the packet travelling along the edges. Layout comes from walkToFlow (pure).
 */
import { useMemo } from 'react'
import { ReactFlow, ReactFlowProvider, type Edge, type Node } from '@xyflow/react'
import { useWalk } from '@/components/store/walk-store-provider'
import { useT } from '@/components/store/use-t'
import { CANVAS_1280, CANVAS_PROJECTION, walkToFlow } from '@/lib/view/walk-to-flow'
import { BoxNode } from './box-node'
import { PlaceNode } from './place-node'
import { EndpointNode } from './endpoint-node'
import { HopEdge } from './hop-edge'
import { PacketMarker } from './packet-marker'
import { FollowViewport } from './follow-viewport'

const nodeTypes = { box: BoxNode, place: PlaceNode, endpoint: EndpointNode }
const edgeTypes = { hop: HopEdge }
/**
 * Smallest zoom per mode: node text is ≥ 12 CSS px, so projection (1.5) renders it ≥ 18 px on
 * screen and hop titles (16 px) ≥ 24 px; a normal screen keeps it at ≥ 12 px.
 */
const ZOOM = { projection: { minZoom: 1.5, maxZoom: 2.2 }, normal: { minZoom: 1, maxZoom: 1.6 } }

export function WalkCanvas() {
  const t = useT()
  const view = useWalk((s) => s.view)
  const selectHop = useWalk((s) => s.selectHop)
  const projection = useWalk((s) => s.projection)
  const zoom = projection ? ZOOM.projection : ZOOM.normal
  const layout = useMemo(
    () => walkToFlow(view.walk, view.hosts, projection ? CANVAS_PROJECTION : CANVAS_1280, zoom.minZoom),
    [view.walk, view.hosts, projection, zoom.minZoom],
  )
  return (
    <section
      aria-label={t('canvas.label')}
      data-testid="canvas"
      className="border-line bg-bg relative min-h-0 overflow-hidden rounded-lg border"
    >
      <ReactFlowProvider>
        <ReactFlow
          nodes={layout.nodes as Node[]}
          edges={layout.edges as Edge[]}
          nodeTypes={nodeTypes}
          edgeTypes={edgeTypes}
          minZoom={0.2}
          maxZoom={3}
          nodesDraggable={false}
          nodesConnectable={false}
          nodesFocusable={false}
          edgesFocusable={false}
          elementsSelectable={false}
          deleteKeyCode={null}
          selectionKeyCode={null}
          multiSelectionKeyCode={null}
          zoomOnDoubleClick={false}
          preventScrolling={false}
          proOptions={{ hideAttribution: true }}
          onNodeClick={(_, node) => {
            const step = (node.data as { step?: unknown }).step
            if (typeof step === 'number') selectHop(step)
          }}
        >
          <PacketMarker layout={layout} />
          <FollowViewport layout={layout} minZoom={zoom.minZoom} maxZoom={zoom.maxZoom} />
        </ReactFlow>
      </ReactFlowProvider>
    </section>
  )
}
