'use client'
import { useMemo } from 'react'
import { useWalk } from '@/components/store/walk-store-provider'
import { useT } from '@/components/store/use-t'
import type { MessageKey } from '@/lib/i18n'
import { packetLayers } from '@/lib/view/packet-layers'
import { distinctPorts, proofPorts } from '@/lib/view/proof-ports'
import { LayerCell } from './layer-cell'

/**
 * The PDU view: the packet after the current hop as header layers (outer headers when
 * encapsulated, Ethernet, IP, TCP/UDP/ICMP), source and destination of each. A field this hop
 * rewrote shows its old value struck through and the new one in bold, with a "changed here"
 * label for screen readers and print (not colour alone).
 */
export function PacketPanel() {
  const t = useT()
  const view = useWalk((s) => s.view)
  const step = useWalk((s) => s.step)
  const ports = useMemo(() => proofPorts(view), [view])
  const rows = useMemo(() => packetLayers(view.walk, step, ports), [view.walk, step, ports])
  const distinct = distinctPorts(ports)
  const anyChange = rows.some((r) => r.src.changed || r.dst.changed)
  const projection = useWalk((s) => s.projection)
  return (
    <section
      aria-labelledby="packet-title"
      data-testid="packet-panel"
      className="border-line bg-panel flex min-h-0 flex-col overflow-auto rounded-lg border p-2"
    >
      <h2 id="packet-title" className={`mb-1 flex items-baseline gap-2 text-base font-bold ${projection ? 'sr-only' : ''}`}>
        {t('packet.title')}
        <span className="text-muted text-xs font-normal">{t('packet.after', { n: step + 1 })}</span>
      </h2>
      <div className={projection ? 'flex min-h-0 gap-3' : 'contents'}>
      <table className={`table-fixed ${projection ? 'min-w-0 flex-1' : 'w-full'} border-collapse text-sm`} data-testid="packet-layers">
        <colgroup>
          <col className="w-[4.6rem]" />
          <col />
          <col />
        </colgroup>
        <thead>
          <tr className="text-muted text-left text-xs">
            <th scope="col" className="pb-0.5 font-semibold">
              {projection ? (
                <>
                  <span className="text-fg" aria-hidden>
                    {t('packet.title')} · {step + 1}
                  </span>
                  <span className="sr-only">{t('packet.layer')}</span>
                </>
              ) : (
                t('packet.layer')
              )}
            </th>
            <th scope="col" className="pb-0.5 font-semibold">{t('packet.source')}</th>
            <th scope="col" className="pb-0.5 font-semibold">{t('packet.destination')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id} data-layer={r.id} data-change={r.change} className="border-line border-t align-top">
              <th scope="row" className="py-0.5 pr-1 text-left text-xs font-semibold" title={t(`packet.layer.${r.id}` as MessageKey)}>
                {r.proto ? (
                  <>
                    <span className="sr-only">{t(`packet.layer.${r.id}` as MessageKey)} </span>
                    <span className="font-mono">{r.proto}</span>
                  </>
                ) : (
                  t(`packet.layer.${r.id}` as MessageKey)
                )}
                {r.change && (
                  <span className="border-fg mt-0.5 inline-block rounded border px-1 text-[0.7rem] uppercase" data-testid="layer-change">
                    {t(r.change === 'added' ? 'packet.added' : 'packet.removed')}
                  </span>
                )}
              </th>
              <LayerCell cell={r.src} side="src" layer={r.id} icmp={r.id === 'l4' && r.proto === 'ICMP'} removed={r.change === 'removed'} />
              <LayerCell cell={r.dst} side="dst" layer={r.id} icmp={r.id === 'l4' && r.proto === 'ICMP'} removed={r.change === 'removed'} />
            </tr>
          ))}
        </tbody>
      </table>
      <div className={projection ? 'w-[38%] shrink-0' : ''}>
        {!anyChange && <p className="text-muted mt-1 text-xs">{t('packet.noChange')}</p>}
        {distinct.length > 1 && (
          <p className="border-warn mt-1 rounded border-l-4 pl-1.5 text-xs" data-testid="connections-note">
            {t('packet.connections', { ports: distinct.map((p) => t('packet.portAt', { port: p.port, n: p.hop + 1 })).join(', ') })}
          </p>
        )}
      </div>
      </div>
    </section>
  )
}
