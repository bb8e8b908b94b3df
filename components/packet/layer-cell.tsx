'use client'
import { useT } from '@/components/store/use-t'
import type { Cell, LayerId } from '@/lib/view/packet-layers'

const FIELD = { eth: ['srcMac', 'dstMac'], ip: ['srcIp', 'dstIp'], l4: ['srcPort', 'dstPort'] } as const

/** One header field: its value, or `old → new` with the old value struck through when this hop rewrote it. */
export function LayerCell({ cell, side, layer, icmp, removed }: { cell: Cell; side: 'src' | 'dst'; layer: LayerId; icmp: boolean; removed: boolean }) {
  const t = useT()
  const field = layer in FIELD ? FIELD[layer as keyof typeof FIELD][side === 'src' ? 0 : 1] : `${layer}.${side}`
  const proof = cell.seenIn ? t('packet.fromProof', { line: cell.seenIn.line, command: cell.seenIn.command }) : undefined
  return (
    <td
      className={`py-0.5 pr-1 font-mono text-[0.8rem] leading-tight [overflow-wrap:anywhere] ${cell.changed ? 'bg-changed' : ''}`}
      data-field={field}
      data-changed={cell.changed}
      title={proof}
    >
      {cell.before !== undefined && (
        <>
          <s className="text-muted block" aria-label={t('packet.wasValue', { value: cell.before })}>{cell.before}</s>
          <span aria-hidden>→ </span>
        </>
      )}
      {removed ? (
        <s className="text-muted">{cell.value ?? '—'}</s>
      ) : cell.value !== undefined ? (
        <span className={cell.changed ? 'font-extrabold' : ''}>{cell.value}</span>
      ) : (
        <span className="text-muted font-sans italic">{icmp ? t('packet.noPorts') : t('packet.unknown')}</span>
      )}
      {cell.seenIn && <span className="text-muted font-sans text-[0.7rem]"> ({t('packet.seenShort', { line: cell.seenIn.line })})</span>}
      {cell.changed && <span className="sr-only"> {t('packet.changed')}</span>}
    </td>
  )
}
