'use client'
import { useMemo } from 'react'
import { useWalk } from '@/components/store/walk-store-provider'
import { useT } from '@/components/store/use-t'
import type { MessageKey } from '@/lib/i18n'
import { packetTimeline } from '@/lib/view/packet-view'

/**
 * The PDU view: the packet's header fields after the current hop. Fields this hop changed are
 * highlighted and carry a "changed here" label (not colour alone): after masquerade the source
 * becomes the node's address; after ARP the gateway's MAC appears.
 */
export function PacketPanel() {
  const t = useT()
  const walk = useWalk((s) => s.view.walk)
  const step = useWalk((s) => s.step)
  const timeline = useMemo(() => packetTimeline(walk), [walk])
  const fields = timeline[step] ?? []
  const anyChange = fields.some((f) => f.changed)
  return (
    <section
      aria-labelledby="packet-title"
      data-testid="packet-panel"
      className="border-line bg-panel flex min-h-0 flex-col overflow-auto rounded-lg border p-3"
    >
      <h2 id="packet-title" className="mb-2 flex items-baseline gap-2 text-base font-bold">
        {t('packet.title')}
        <span className="text-muted text-xs font-normal">{t('packet.after', { n: step + 1 })}</span>
      </h2>
      <table className="w-full border-collapse text-sm">
        <thead className="sr-only">
          <tr>
            <th scope="col">{t('packet.field')}</th>
            <th scope="col">{t('packet.value')}</th>
          </tr>
        </thead>
        <tbody>
          {fields.map((f) => (
            <tr
              key={f.field}
              data-field={f.field}
              data-changed={f.changed}
              className={`border-line border-b last:border-b-0 ${f.changed ? 'bg-changed' : ''}`}
            >
              <th scope="row" className="text-muted py-[0.2rem] pr-2 pl-1 text-left align-top text-xs font-semibold whitespace-nowrap">
                {t(`packet.${f.field}` as MessageKey)}
              </th>
              <td className="py-[0.2rem] pr-1 align-top">
                <span className={`font-mono break-all ${f.changed ? 'font-extrabold' : ''} ${f.value ? '' : 'text-muted italic'}`}>
                  {f.value ?? t('packet.unknown')}
                </span>
                {f.changed && (
                  <span className="border-fg ml-1.5 inline-block rounded border px-1 text-[0.7rem] font-bold whitespace-nowrap uppercase">
                    ✱ {t('packet.changed')}
                  </span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {!anyChange && <p className="text-muted mt-2 text-xs">{t('packet.noChange')}</p>}
    </section>
  )
}
