import type { ReactNode } from 'react'
import './globals.css'

export const metadata = { title: 'packetwalk', description: 'How a packet really travels through a Kubernetes node' }

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  )
}
