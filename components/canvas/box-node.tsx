'use client'
import { memo } from 'react'
import type { NodeProps, Node } from '@xyflow/react'
import { useT } from '@/components/store/use-t'
import type { GroupKind } from '@/lib/view/places'
import type { GroupData } from '@/lib/view/walk-to-flow'

const STYLE: Record<GroupKind, string> = {
  pod: 'border-solid border-2',
  node: 'border-solid border-2',
  world: 'border-dashed border-2',
  underlay: 'border-dotted border-2',
  service: 'border-dashed border-2 border-accent',
  cluster: 'border-solid border-2',
}
/** The small technical tag before a box's title (decorative: the title says it in words). */
const TAG: Record<GroupKind, string> = { pod: 'netns', node: 'host', world: 'wan', underlay: 'link', service: 'vip', cluster: 'k8s' }

/**
 * A box of the teacher's drawing: a pod's network namespace, a node, the network between two
 * nodes, a service (a virtual address inside the cluster), the rest of the cluster, or the world outside.
 */
export const BoxNode = memo(function BoxNode({ data }: NodeProps<Node<GroupData, 'box'>>) {
  const t = useT()
  const g = data.group
  const title = {
    pod: () => t('group.pod', { name: g.name }),
    node: () => t('group.node', { name: g.name }),
    world: () => t('group.world'),
    underlay: () => t('group.underlay'),
    service: () => `${t('group.service', { name: g.name })} — ${t('group.serviceHint')}`,
    cluster: () => t('group.cluster'),
  }[g.kind]()
  return (
    <div data-testid="box" data-box={g.kind} className={`border-line bg-group h-full w-full rounded-xl ${STYLE[g.kind]}`}>
      <div className="text-fg flex items-center gap-1.5 px-3 pt-1.5 text-[16px] font-bold" title={title} data-cut-check>
        <span aria-hidden className="text-muted shrink-0 font-mono text-[12px] uppercase">{TAG[g.kind]}</span>
        <span className="min-w-0 truncate">{title}</span>
      </div>
    </div>
  )
})
