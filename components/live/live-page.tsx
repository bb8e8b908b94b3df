'use client'
/**
 * The live page: choose a kubeconfig context, a namespace and a running pod, a destination and
 * options; watch each command run; then read the walk of what was collected, and save the
 * capture@1 file (the same file `packetwalk capture --from … --to …` writes).
 */
import { useCallback, useEffect, useMemo, useState } from 'react'
import { translate, type Lang, type MessageKey } from '@/lib/i18n'
import type { Capture } from '@/lib/model/capture'
import type { CaptureSummary, WalkView } from '@/lib/view/walk-view'
import { httpWalkApi } from '@/components/store/walk-api'
import { WalkApp } from '@/components/walk-app/walk-app'
import { btn, primaryBtn } from '@/components/ui/button-styles'
import { Brand, LangButtons, ThemeButton } from '@/components/header/header-parts'
import { BackIcon } from '@/components/ui/icons'
import { readNdjson, type LiveEvent } from './ndjson'
import { ProgressList, type CommandRow } from './progress-list'
import { liveUrl, useJson, type ContextsAnswer, type PodsAnswer, type ServicesAnswer } from './use-live-api'

const field = 'border-line bg-bg text-fg rounded-md border px-2 py-1 text-sm min-w-0'
const label = 'flex flex-col gap-0.5 text-sm font-medium'

interface Outcome {
  capture: Capture
  errors: string[]
  seconds: string
}

type WalkState = { state: 'none' } | { state: 'ok'; view: WalkView; captures: CaptureSummary[] } | { state: 'error'; error: string }

function fileNameFor(c: Capture): string {
  const src = (c.flow.source.pod ?? 'pod').replace(/[^a-z0-9.-]+/gi, '_')
  const stamp = c.capturedAt.replace(/[:.]/g, '-')
  return `packetwalk-${src}-${stamp}.capture.json`
}

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }))
  const a = document.createElement('a')
  a.href = url
  a.download = name
  a.click()
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}

export function LivePage({ lang: initialLang, theme: initialTheme = 'light', readOnly }: { lang: Lang; theme?: 'light' | 'dark'; readOnly: boolean }) {
  const [lang, setLang] = useState<Lang>(initialLang)
  const [theme, setTheme] = useState<'light' | 'dark'>(initialTheme)
  // The address bar keeps the choices, as on the walk page, so a reload or a shared link keeps them.
  useEffect(() => {
    document.documentElement.lang = lang
    const url = new URL(window.location.href)
    url.searchParams.set('lang', lang)
    url.searchParams.set('theme', theme)
    window.history.replaceState(window.history.state, '', url.pathname + url.search)
  }, [lang, theme])
  const home = `/?lang=${lang}&theme=${theme}`
  const t = useCallback((key: MessageKey, params?: Record<string, string | number>) => translate(lang, key, params), [lang])

  const contexts = useJson<ContextsAnswer>(readOnly ? null : '/api/live/contexts')
  const [context, setContext] = useState<string>()
  const ctx = context ?? (contexts.state === 'ok' ? contexts.data.current : undefined)
  const ctxInfo = contexts.state === 'ok' ? contexts.data.contexts.find((c) => c.name === ctx) : undefined

  const namespaces = useJson<{ namespaces: string[] }>(ctx ? liveUrl('namespaces', { context: ctx }) : null)
  const [namespace, setNamespace] = useState<string>()
  const ns = namespace ?? ctxInfo?.namespace ?? 'default'
  const pods = useJson<PodsAnswer>(ctx ? liveUrl('pods', { context: ctx, namespace: ns }) : null)
  const services = useJson<ServicesAnswer>(ctx ? liveUrl('services', { context: ctx, namespace: ns }) : null)
  const [pod, setPod] = useState('')
  const podInfo = pods.state === 'ok' ? pods.data.pods.find((p) => p.name === pod) : undefined
  const [container, setContainer] = useState('')
  const [destination, setDestination] = useState('1.0.0.1:80/tcp')
  const [probe, setProbe] = useState(false)
  const [debugImage, setDebugImage] = useState('')
  const [agentNamespace, setAgentNamespace] = useState('kube-system')
  const [nodeShell, setNodeShell] = useState('')

  const [running, setRunning] = useState(false)
  const [rows, setRows] = useState<CommandRow[]>([])
  const [notes, setNotes] = useState<{ level: string; message: string }[]>([])
  const [fatal, setFatal] = useState<string>()
  const [outcome, setOutcome] = useState<Outcome>()
  const [walk, setWalk] = useState<WalkState>({ state: 'none' })

  const suggestions = useMemo(() => {
    const out: string[] = []
    if (services.state === 'ok') {
      for (const s of services.data.services) out.push(`svc/${s.namespace}/${s.name}${s.ports[0] ? `:${s.ports[0].port}` : ''}`)
    }
    if (pods.state === 'ok') for (const p of pods.data.pods) if (p.name !== pod) out.push(`pod/${ns}/${p.name}`)
    return out
  }, [services, pods, pod, ns])

  const onEvent = useCallback((e: LiveEvent, started: number) => {
    if (e.type === 'start') {
      setRows((rs) => [...rs, { key: `${rs.length}`, hostId: e.hostId, command: e.command, done: false }])
    } else if (e.type === 'end') {
      setRows((rs) => {
        const i = rs.findIndex((r) => !r.done && r.hostId === e.hostId && r.command === e.command)
        if (i < 0) return rs
        const next = [...rs]
        next[i] = { ...(rs[i] as CommandRow), done: true, exitCode: e.exitCode, durationMs: e.durationMs, truncated: e.truncated, timedOut: e.timedOut, error: e.error }
        return next
      })
    } else if (e.type === 'note') {
      setNotes((ns) => [...ns, { level: e.level, message: e.message }])
    } else if (e.type === 'fatal') {
      setFatal(e.error)
    } else if (e.type === 'result') {
      setOutcome({ capture: e.capture, errors: e.errors, seconds: ((Date.now() - started) / 1000).toFixed(1) })
      void httpWalkApi.upload(JSON.stringify(e.capture), fileNameFor(e.capture)).then(async (r) => {
        if (!r.ok) return setWalk({ state: 'error', error: r.error })
        const list = await fetch('/api/captures').then((x) => x.json() as Promise<{ captures: CaptureSummary[] }>).catch(() => ({ captures: [] }))
        setWalk({ state: 'ok', view: r.view, captures: list.captures })
      })
    }
  }, [])

  const start = useCallback(async () => {
    setRunning(true)
    setRows([])
    setNotes([])
    setFatal(undefined)
    setOutcome(undefined)
    setWalk({ state: 'none' })
    const started = Date.now()
    try {
      const res = await fetch('/api/live/capture', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ context: ctx, from: `${ns}/${pod}`, to: destination, container: container || undefined, probe, debugImage: debugImage || undefined, agentNamespace, nodeShell: nodeShell || undefined }),
      })
      if (!res.ok || !res.body) {
        const body = (await res.json().catch(() => ({}))) as { error?: string }
        setFatal(body.error ?? `HTTP ${res.status}`)
      } else {
        await readNdjson(res.body, (e) => onEvent(e, started))
      }
    } catch (e) {
      setFatal(e instanceof Error ? e.message : String(e))
    } finally {
      setRunning(false)
    }
  }, [ctx, ns, pod, destination, container, probe, debugImage, agentNamespace, nodeShell, onEvent])

  const listError = [contexts, namespaces, pods].find((l) => l.state === 'error')

  return (
    <div data-theme={theme} lang={lang} className="bg-bg text-fg min-h-dvh font-sans">
      <header className="border-line bg-panel flex flex-wrap items-center gap-x-3 gap-y-1 border-b px-3 py-1.5">
        <Brand lang={lang} href={home} />
        <h1 className="text-base font-semibold">{t('live.title')}</h1>
        <nav className="ml-auto flex items-center gap-2" aria-label={t('header.tools')}>
          <a href={home} className={btn} data-testid="live-back">
            <BackIcon />
            {t('live.back')}
          </a>
          <LangButtons lang={lang} onChange={setLang} />
          <ThemeButton lang={lang} theme={theme} onChange={setTheme} />
        </nav>
      </header>

      <main className="mx-auto flex max-w-6xl flex-col gap-4 px-3 py-3">
        <p className="text-muted text-sm">{t('live.intro')}</p>
        {readOnly ? (
          <p role="alert" className="border-warn text-warn rounded-md border-2 px-3 py-2 font-medium">{t('live.readOnly')}</p>
        ) : (
          <form
            className="grid grid-cols-1 gap-3 md:grid-cols-3"
            onSubmit={(e) => {
              e.preventDefault()
              if (!running && pod) void start()
            }}
          >
            <label className={label}>
              {t('live.context')}
              <select className={field} value={ctx ?? ''} onChange={(e) => { setContext(e.target.value); setNamespace(undefined); setPod('') }} data-testid="live-context">
                {contexts.state !== 'ok' ? <option value="">{t('live.loading')}</option> : contexts.data.contexts.map((c) => <option key={c.name} value={c.name}>{c.name}</option>)}
              </select>
            </label>
            <label className={label}>
              {t('live.namespace')}
              <select className={field} value={ns} onChange={(e) => { setNamespace(e.target.value); setPod('') }} data-testid="live-namespace">
                {namespaces.state === 'ok' ? namespaces.data.namespaces.map((n) => <option key={n} value={n}>{n}</option>) : <option value={ns}>{ns}</option>}
              </select>
            </label>
            <label className={label}>
              {t('live.pod')}
              <select className={field} value={pod} onChange={(e) => { setPod(e.target.value); setContainer('') }} data-testid="live-pod">
                <option value="">{pods.state === 'loading' ? t('live.loading') : pods.state === 'ok' && pods.data.pods.length === 0 ? t('live.noPods') : t('live.select')}</option>
                {pods.state === 'ok' && pods.data.pods.map((p) => <option key={p.name} value={p.name}>{`${p.name}${p.ip ? ` (${p.ip})` : ''}`}</option>)}
              </select>
            </label>
            {podInfo && podInfo.containers.length > 1 ? (
              <label className={label}>
                {t('live.container')}
                <select className={field} value={container} onChange={(e) => setContainer(e.target.value)}>
                  {podInfo.containers.map((c) => <option key={c} value={c}>{c}</option>)}
                </select>
              </label>
            ) : null}
            <div className={`${label} md:col-span-2`}>
              <label htmlFor="live-destination">{t('live.destination')}</label>
              <input id="live-destination" className={`${field} font-mono`} value={destination} onChange={(e) => setDestination(e.target.value)} list="live-destinations" placeholder="1.0.0.1:80/tcp" aria-describedby="live-destination-hint" data-testid="live-destination" spellCheck={false} />
              <datalist id="live-destinations">{suggestions.map((s) => <option key={s} value={s} />)}</datalist>
              <span id="live-destination-hint" className="text-muted text-xs font-normal">{t('live.destinationHint')}</span>
            </div>
            <fieldset className="border-line flex flex-col gap-2 rounded-md border px-3 py-2 md:col-span-3">
              <legend className="px-1 text-sm font-semibold">{t('live.options')}</legend>
              <div className="flex flex-col gap-0.5">
                <label className="flex items-center gap-2 text-sm font-medium">
                  <input type="checkbox" checked={probe} onChange={(e) => setProbe(e.target.checked)} aria-describedby="live-probe-hint" />
                  {t('live.probe')}
                </label>
                <span id="live-probe-hint" className="text-muted text-xs">{t('live.probeHint')}</span>
              </div>
              <div className="grid grid-cols-1 gap-3 md:grid-cols-2">
                <div className={label}>
                  <label htmlFor="live-debug-image">{t('live.debugImage')}</label>
                  <input id="live-debug-image" className={`${field} font-mono`} value={debugImage} onChange={(e) => setDebugImage(e.target.value)} placeholder="nicolaka/netshoot:v0.13" aria-describedby="live-debug-hint" spellCheck={false} />
                  <span id="live-debug-hint" className="text-muted text-xs font-normal">{t('live.debugImageHint')}</span>
                </div>
                <div className={label}>
                  <label htmlFor="live-agent-ns">{t('live.agentNamespace')}</label>
                  <input id="live-agent-ns" className={`${field} font-mono`} value={agentNamespace} onChange={(e) => setAgentNamespace(e.target.value)} spellCheck={false} />
                </div>
                <div className={label}>
                  <label htmlFor="live-node-shell">{t('live.nodeShell')}</label>
                  <input id="live-node-shell" className={`${field} font-mono`} value={nodeShell} onChange={(e) => setNodeShell(e.target.value)} placeholder="—" aria-describedby="live-node-shell-hint" spellCheck={false} />
                  <span id="live-node-shell-hint" className="text-warn text-xs font-normal">{t('live.nodeShellHint')}</span>
                </div>
              </div>
            </fieldset>
            <div className="flex items-center gap-3 md:col-span-3">
              <button type="submit" className={primaryBtn} disabled={running || !pod} data-testid="live-capture">
                {running ? t('live.capturing') : t('live.capture')}
              </button>
              {outcome ? <span className="text-sm">{t('live.done', { count: rows.length, seconds: outcome.seconds })}</span> : null}
            </div>
          </form>
        )}

        {listError && listError.state === 'error' ? <p role="alert" className="border-warn text-warn rounded-md border-2 px-3 py-2">{listError.error}</p> : null}
        {fatal ? <p role="alert" data-testid="live-fatal" className="border-warn text-warn rounded-md border-2 px-3 py-2 font-medium">{t('live.failed', { error: fatal })}</p> : null}

        {notes.length ? (
          <ul className="text-sm" aria-live="polite">
            {notes.map((n, i) => (
              <li key={i} className={n.level === 'info' ? 'text-muted' : 'text-warn'}>{`${n.level === 'info' ? '·' : '!'} ${n.message}`}</li>
            ))}
          </ul>
        ) : null}

        <ProgressList rows={rows} t={t} />

        {outcome ? (
          <section className="flex flex-col gap-2" data-testid="live-outcome">
            {outcome.errors.length ? (
              <div role="alert" className="border-warn rounded-md border-2 px-3 py-2">
                <h2 className="text-warn font-semibold">{t('live.problems')}</h2>
                <ul className="list-disc pl-5 text-sm">{outcome.errors.map((e) => <li key={e}>{e}</li>)}</ul>
              </div>
            ) : null}
            <div className="flex items-center gap-2">
              <button type="button" className={btn} onClick={() => download(fileNameFor(outcome.capture), JSON.stringify(outcome.capture, null, 2))} data-testid="live-save">
                {t('live.save')}
              </button>
              {walk.state === 'ok' ? <a className={btn} href={`/?capture=${encodeURIComponent(walk.view.capture.id)}&lang=${lang}&theme=${theme}`} data-testid="live-open-walk">{t('live.openWalk')}</a> : null}
              {walk.state === 'error' ? <span className="text-warn text-sm">{walk.error}</span> : null}
            </div>
          </section>
        ) : null}
      </main>

      {walk.state === 'ok' ? (
        <section aria-label={t('live.walk')} className="border-line border-t" data-testid="live-walk">
          <WalkApp key={walk.view.capture.id} embedded initial={{ view: walk.view, captures: walk.captures, step: 0, theme, lang }} />
        </section>
      ) : null}
    </div>
  )
}
