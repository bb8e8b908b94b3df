'use client'
/**
 * The walk page's client root: creates the page's store from the server-rendered initial state
 * and lays out header, canvas, packet and evidence panels, and the player bar.
 */
import { WalkStoreProvider } from '@/components/store/walk-store-provider'
import type { InitialState } from '@/components/store/walk-store'
import { AppShell } from './app-shell'

/** `embedded`: shown under another page's header (the live page), so no second brand or live link. */
export function WalkApp({ initial, embedded = false }: { initial: InitialState; embedded?: boolean }) {
  return (
    <WalkStoreProvider initial={initial}>
      <AppShell embedded={embedded} />
    </WalkStoreProvider>
  )
}
