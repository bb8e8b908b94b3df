'use client'
import { memo } from 'react'
import type { NodeProps, Node } from '@xyflow/react'
import { useT } from '@/components/store/use-t'
import type { EndpointData } from '@/lib/view/walk-to-flow'
import { Handles } from './handles'

/** Where the packet starts (the application in the pod), the router beyond the node, where it is going. */
export const EndpointNode = memo(function EndpointNode({ data }: NodeProps<Node<EndpointData, 'endpoint'>>) {
  const t = useT()
  const title = t(data.role === 'source' ? 'place.source' : data.role === 'router' ? 'place.router' : 'place.destination')
  const address = data.port !== undefined ? `${data.ip}:${data.port}` : data.ip
  return (
    <div
      data-testid={`endpoint-${data.role}`}
      className={`border-fg bg-bg text-fg flex h-full w-full flex-col justify-center border-2 px-4 text-center ${data.role === 'router' ? 'rounded-lg' : 'rounded-full'}`}
    >
      <div className="text-muted text-[12px] font-semibold tracking-wide uppercase">{title}</div>
      <div className="truncate font-mono text-[16px] font-bold" title={address}>{address}</div>
      {data.label && <div className="text-muted truncate text-[12px]" title={data.label}>{data.label}</div>}
      <Handles />
    </div>
  )
})
