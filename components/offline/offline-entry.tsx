/**
 * Entry of the offline player bundle (scripts/build-offline-player.mjs): reads the walk embedded
 * in the page and renders the player. Not part of the Next app.
 */
import { createRoot } from 'react-dom/client'
import { readEmbedded } from '@/lib/offline/embed'
import { OfflinePlayer } from './offline-player'

const data = readEmbedded(document.getElementById('pw-walk')?.textContent)
const root = document.getElementById('root')
if (root && data) createRoot(root).render(<OfflinePlayer data={data} />)
else if (root) root.textContent = 'packetwalk: this file holds no walk (export it from the walk page: Export → Offline walk).'
