'use client'
/**
 * The walk page's client root: creates the page's store from the server-rendered initial state
 * and lays out header, canvas, packet and evidence panels, and the player bar.
 */
import { WalkStoreProvider } from '@/components/store/walk-store-provider'
import type { InitialState } from '@/components/store/walk-store'
import { AppShell } from './app-shell'

export function WalkApp({ initial }: { initial: InitialState }) {
  return (
    <WalkStoreProvider initial={initial}>
      <AppShell />
    </WalkStoreProvider>
  )
}
