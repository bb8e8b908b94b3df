'use client'
/**
 * The canvas: places grouped in boxes (pod namespace, node, world), hops in the order the packet
 * meets them, and the packet travelling along the edges. Layout comes from walkToFlow (pure).
 */
import { useMemo } from 'react'
import { ReactFlow, ReactFlowProvider, type Edge, type Node } from '@xyflow/react'
import { useWalk } from '@/components/store/walk-store-provider'
import { useT } from '@/components/store/use-t'
import { walkToFlow } from '@/lib/view/walk-to-flow'
import { BoxNode } from './box-node'
import { PlaceNode } from './place-node'
import { EndpointNode } from './endpoint-node'
import { HopEdge } from './hop-edge'
import { PacketMarker } from './packet-marker'
import { FitToCanvas } from './fit-to-canvas'

const nodeTypes = { box: BoxNode, place: PlaceNode, endpoint: EndpointNode }
const edgeTypes = { hop: HopEdge }
const FIT = { padding: 0.04, maxZoom: 1.6 }

export function WalkCanvas() {
  const t = useT()
  const view = useWalk((s) => s.view)
  const selectHop = useWalk((s) => s.selectHop)
  const layout = useMemo(() => walkToFlow(view.walk, view.hosts), [view.walk, view.hosts])
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
          fitView
          fitViewOptions={FIT}
          minZoom={0.2}
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
          <FitToCanvas layout={layout} options={FIT} />
        </ReactFlow>
      </ReactFlowProvider>
    </section>
  )
}
