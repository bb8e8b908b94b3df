'use client'
/**
 * One store per page, handed down through context (the zustand Next.js pattern: no global
 * store, so two tabs or two server renders never share state).
 */
import { createContext, useContext, useState, type ReactNode } from 'react'
import { useStore } from 'zustand'
import { createWalkStore, type InitialState, type WalkStore, type WalkStoreApi } from './walk-store'
import { httpWalkApi } from './walk-api'

const WalkStoreContext = createContext<WalkStoreApi | null>(null)

/**
 * `store`: an existing store to hand down instead of a new one (an export's offscreen slide, the
 * offline player), so the same components render any walk without a server.
 */
export function WalkStoreProvider(props: ({ initial: InitialState } | { store: WalkStoreApi }) & { children: ReactNode }) {
  const [store] = useState(() => ('store' in props ? props.store : createWalkStore(props.initial, httpWalkApi)))
  return <WalkStoreContext.Provider value={store}>{props.children}</WalkStoreContext.Provider>
}

export function useWalkStoreApi(): WalkStoreApi {
  const store = useContext(WalkStoreContext)
  if (!store) throw new Error('useWalkStore must be used inside <WalkStoreProvider>')
  return store
}

/** Reads one slice of the store; components re-render only when that slice changes. */
export function useWalk<T>(selector: (s: WalkStore) => T): T {
  return useStore(useWalkStoreApi(), selector)
}
