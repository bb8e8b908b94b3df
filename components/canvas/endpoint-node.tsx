'use client'
import { memo } from 'react'
import type { NodeProps, Node } from '@xyflow/react'
import { useT } from '@/components/store/use-t'
import type { MessageKey } from '@/lib/i18n'
import type { EndpointRole } from '@/lib/view/scenario'
import type { EndpointData } from '@/lib/view/walk-to-flow'
import { Handles } from './handles'

const TITLE: Record<EndpointRole, MessageKey> = {
  source: 'place.source',
  router: 'place.router',
  peer: 'place.peer',
  tunnel: 'place.tunnelEnd',
  destination: 'place.destination',
  backend: 'place.backend',
  service: 'place.service',
}

/** Where the packet starts (the application in the pod), the way between nodes, where it is going. */
export const EndpointNode = memo(function EndpointNode({ data }: NodeProps<Node<EndpointData, 'endpoint'>>) {
  const t = useT()
  const title = `${t(TITLE[data.role])}${data.role === 'tunnel' && data.label ? ` · ${data.label}` : ''}`
  const address = data.port !== undefined ? `${data.ip}:${data.port}` : data.ip
  const round = data.role === 'router' || data.role === 'peer' || data.role === 'tunnel' ? 'rounded-lg' : 'rounded-full'
  const dashed = data.role === 'service' ? 'border-dashed' : ''
  return (
    <div
      data-testid={`endpoint-${data.role}`}
      className={`border-fg bg-bg text-fg flex h-full w-full flex-col justify-center border-2 px-4 text-center ${round} ${dashed}`}
    >
      <div className="text-muted truncate text-[12px] font-semibold tracking-wide uppercase" title={title}>
        {title}
      </div>
      <div className="truncate font-mono text-[16px] font-bold" title={address}>{address}</div>
      {data.label && data.role !== 'tunnel' && <div className="text-muted truncate text-[12px]" title={data.label}>{data.label}</div>}
      <Handles />
    </div>
  )
})
