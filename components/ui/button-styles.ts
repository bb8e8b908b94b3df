/** Shared button classes: large hit areas, visible focus (globals.css), no colour-only states. */
export const btn =
  'inline-flex items-center gap-1.5 rounded-md border border-line bg-panel px-2.5 py-1 text-sm font-medium text-fg hover:border-accent disabled:opacity-50 cursor-pointer'
export const iconBtn =
  'inline-flex h-9 w-9 items-center justify-center rounded-md border border-line bg-panel text-lg text-fg hover:border-accent disabled:opacity-40 cursor-pointer'
