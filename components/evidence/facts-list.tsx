'use client'
import { useWalk } from '@/components/store/walk-store-provider'
import { useT } from '@/components/store/use-t'
import { factHelp, factLabel, factValue, HOST_FACTS, VERBATIM_FACTS } from '@/lib/i18n/facts'
import { hostLabel } from '@/lib/i18n/host-phrase'
import { stringFacts } from '@/lib/model/walk'

/** The hop's facts (walk@1 `facts`) with translated labels and tooltips; captured values stay verbatim. */
export function FactsList() {
  const t = useT()
  const lang = useWalk((s) => s.lang)
  const facts = useWalk((s) => s.view.walk.hops[s.step]?.facts)
  const hosts = useWalk((s) => s.view.hosts)
  const sourceIp = useWalk((s) => s.view.walk.flow.source.ip)
  const entries = Object.entries(stringFacts(facts)).filter(([, v]) => v !== undefined && v !== '')
  if (entries.length === 0) return null
  return (
    <div>
      <h3 className="text-muted mb-1 text-xs font-bold tracking-wide uppercase">{t('evidence.facts')}</h3>
      <dl className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-3 gap-y-0.5 text-sm" data-testid="facts">
        {entries.map(([k, v]) => (
          <div key={k} className="contents" data-fact={k}>
            <dt className="text-muted font-semibold" title={factHelp(k, lang)}>{factLabel(k, lang)}</dt>
            <dd className={`break-all ${VERBATIM_FACTS.has(k) ? 'font-mono text-[0.8rem]' : 'font-mono'}`}>
              {HOST_FACTS.has(k) ? hostLabel(hosts, v, sourceIp) : factValue(k, v, lang)}
            </dd>
          </div>
        ))}
      </dl>
    </div>
  )
}
