/** Small inline icons (no icon font: exports and offline classrooms must render them). */
import type { SVGProps } from 'react'

type P = SVGProps<SVGSVGElement>
const base = (p: P) => ({ width: '1em', height: '1em', viewBox: '0 0 24 24', fill: 'currentColor', 'aria-hidden': true, ...p })

export const PlayIcon = (p: P) => <svg {...base(p)}><path d="M7 4.5v15l13-7.5z" /></svg>
export const PauseIcon = (p: P) => <svg {...base(p)}><path d="M6 4h4.5v16H6zM13.5 4H18v16h-4.5z" /></svg>
export const NextIcon = (p: P) => <svg {...base(p)}><path d="M5 4.5v15l10-7.5zM16 4.5h3v15h-3z" /></svg>
export const PrevIcon = (p: P) => <svg {...base(p)}><path d="M19 4.5v15L9 12zM5 4.5h3v15H5z" /></svg>
export const FirstIcon = (p: P) => <svg {...base(p)}><path d="M4 4.5h3v15H4zM20 4.5v15L8 12z" /></svg>
export const LastIcon = (p: P) => <svg {...base(p)}><path d="M17 4.5h3v15h-3zM4 4.5v15L16 12z" /></svg>
export const WarnIcon = (p: P) => (
  <svg {...base(p)}><path d="M12 2 1 21h22zm-1 6h2v7h-2zm0 9h2v2h-2z" /></svg>
)
export const CheckIcon = (p: P) => <svg {...base(p)}><path d="m9.5 16.2-4.2-4.2-1.4 1.4 5.6 5.6 11-11-1.4-1.4z" /></svg>
export const SunIcon = (p: P) => (
  <svg {...base(p)}><path d="M12 7a5 5 0 1 0 0 10 5 5 0 0 0 0-10zm-1-6h2v4h-2zm0 18h2v4h-2zM1 11h4v2H1zm18 0h4v2h-4zM4.2 2.8l2.9 2.9-1.4 1.4-2.9-2.9zm12.7 12.7 2.9 2.9-1.4 1.4-2.9-2.9zM2.8 19.8l2.9-2.9 1.4 1.4-2.9 2.9zM15.5 7.1l2.9-2.9 1.4 1.4-2.9 2.9z" /></svg>
)
export const MoonIcon = (p: P) => <svg {...base(p)}><path d="M20 15.3A8.5 8.5 0 0 1 8.7 4 8.5 8.5 0 1 0 20 15.3z" /></svg>
export const ScreenIcon = (p: P) => (
  <svg {...base(p)}><path d="M3 4h18v12H3zm2 2v8h14V6zM8 18h8v2H8z" /></svg>
)
export const DownloadIcon = (p: P) => <svg {...base(p)}><path d="M11 3h2v10l3.5-3.5 1.4 1.4L12 16.8l-5.9-5.9 1.4-1.4L11 13zM4 19h16v2H4z" /></svg>
export const OpenIcon = (p: P) => <svg {...base(p)}><path d="M3 5h7l2 2h9v12H3zm2 4v8h14V9z" /></svg>
export const LiveIcon = (p: P) => <svg {...base(p)}><circle cx="12" cy="12" r="4" /><path d="M4.9 4.9a10 10 0 0 0 0 14.2l1.4-1.4a8 8 0 0 1 0-11.4zm14.2 0-1.4 1.4a8 8 0 0 1 0 11.4l1.4 1.4a10 10 0 0 0 0-14.2z" /></svg>
export const EnvelopeIcon = (p: P) => (
  <svg {...base(p)} viewBox="0 0 28 20"><rect x="1" y="1" width="26" height="18" rx="3" fill="currentColor" stroke="white" strokeWidth="1.5" /><path d="m2 3 12 8 12-8" fill="none" stroke="white" strokeWidth="1.8" /></svg>
)
export const BackIcon = (p: P) => <svg {...base(p)}><path d="M10 5 3 12l7 7 1.4-1.4L6.8 13H21v-2H6.8l4.6-4.6z" /></svg>
