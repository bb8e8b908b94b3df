'use client'
/**
 * The live page's reads: contexts, namespaces, running pods and services of the chosen context,
 * each re-fetched when what it depends on changes. Errors come back as the server's sentence.
 */
import { useEffect, useState } from 'react'

export type Loaded<T> = { state: 'idle' | 'loading' } | { state: 'ok'; data: T } | { state: 'error'; error: string }

export async function getJson<T>(url: string): Promise<T> {
  const r = await fetch(url, { headers: { accept: 'application/json' } })
  const body = (await r.json().catch(() => ({}))) as T & { error?: string }
  if (!r.ok) throw new Error(body.error ?? `HTTP ${r.status}`)
  return body
}

/** Fetches `url` whenever it changes; null means "nothing to fetch yet". */
export function useJson<T>(url: string | null): Loaded<T> {
  const [result, setResult] = useState<{ url: string | null; loaded: Loaded<T> }>({ url: null, loaded: { state: 'idle' } })
  useEffect(() => {
    if (!url) return
    let live = true
    getJson<T>(url).then(
      (data) => live && setResult({ url, loaded: { state: 'ok', data } }),
      (e: unknown) => live && setResult({ url, loaded: { state: 'error', error: e instanceof Error ? e.message : String(e) } }),
    )
    return () => {
      live = false
    }
  }, [url])
  if (!url) return { state: 'idle' }
  return result.url === url ? result.loaded : { state: 'loading' }
}

export interface ContextsAnswer {
  contexts: { name: string; cluster: string; namespace?: string }[]
  current: string
}
export interface PodsAnswer {
  pods: { name: string; ip?: string; node?: string; containers: string[] }[]
}
export interface ServicesAnswer {
  services: { name: string; namespace: string; clusterIP?: string; ports: { port: number; protocol: string }[] }[]
}

export function liveUrl(path: string, params: Record<string, string | undefined>): string {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v)
  const s = q.toString()
  return `/api/live/${path}${s ? `?${s}` : ''}`
}
