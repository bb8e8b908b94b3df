'use client'
import { useWalk } from '@/components/store/walk-store-provider'
import { useT } from '@/components/store/use-t'
import type { MessageKey } from '@/lib/i18n'
import { placeOf } from '@/lib/view/places'
import { hostLabel } from '@/lib/i18n/host-phrase'
import { CheckIcon, WarnIcon } from '@/components/ui/icons'

/** "Hop 3 of 10 · veth lxcf4cd39e34601 · node-7o7xd" with a proven/unproven label. */
export function HopHeading() {
  const t = useT()
  const step = useWalk((s) => s.step)
  const total = useWalk((s) => s.view.walk.hops.length)
  const hop = useWalk((s) => s.view.walk.hops[s.step])
  const hosts = useWalk((s) => s.view.hosts)
  const sourceIp = useWalk((s) => s.view.walk.flow.source.ip)
  if (!hop) return null
  const place = placeOf(hop)
  return (
    <h2 id="evidence-title" className="mb-2 flex flex-wrap items-center gap-x-2 gap-y-1 text-base font-bold">
      <span className="bg-accent text-accent-fg rounded px-1.5 font-mono text-sm">{t('controls.step', { n: step + 1, total })}</span>
      <span>{t(`place.${place.key}` as MessageKey, place.params)}</span>
      <span className="text-muted text-sm font-normal">{t(`kind.${hop.kind}` as MessageKey)} · {hostLabel(hosts, hop.host, sourceIp)}</span>
      {hop.proven === false ? (
        <span className="border-warn text-warn ml-auto flex items-center gap-1 rounded border-2 border-dashed px-1.5 text-xs uppercase" data-testid="heading-unproven">
          <WarnIcon /> {t('unproven.badge')}
        </span>
      ) : (
        <span className="text-muted ml-auto flex items-center gap-1 text-xs font-normal">
          <CheckIcon /> {t('evidence.title')}: {hop.evidence.length}
        </span>
      )}
    </h2>
  )
}
