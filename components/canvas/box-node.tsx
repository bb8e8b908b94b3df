'use client'
import { memo } from 'react'
import type { NodeProps, Node } from '@xyflow/react'
import { useT } from '@/components/store/use-t'
import type { GroupData } from '@/lib/view/walk-to-flow'

const STYLE = {
  pod: 'border-solid',
  node: 'border-solid',
  world: 'border-dashed',
} as const

/** A box of the teacher's drawing: the pod's network namespace, the node, or the world outside. */
export const BoxNode = memo(function BoxNode({ data }: NodeProps<Node<GroupData, 'box'>>) {
  const t = useT()
  const g = data.group
  const title = g.kind === 'pod' ? t('group.pod', { name: g.name }) : g.kind === 'node' ? t('group.node', { name: g.name }) : t('group.world')
  return (
    <div
      data-testid="box"
      data-box={g.kind}
      className={`border-line bg-group h-full w-full rounded-xl border-2 ${STYLE[g.kind]}`}
    >
      <div className="text-fg flex items-center gap-1.5 truncate px-3 pt-1.5 text-[16px] font-bold" title={title}>
        <span aria-hidden className="text-muted font-mono text-[12px] uppercase">{g.kind === 'pod' ? 'netns' : g.kind === 'node' ? 'host' : 'wan'}</span>
        {title}
      </div>
    </div>
  )
})
