/** Shared button classes: large hit areas, visible focus (globals.css), no colour-only states. */
export const btn =
  'inline-flex items-center gap-1.5 rounded-md border border-line bg-panel px-2.5 py-1 text-sm font-medium text-fg hover:border-accent disabled:opacity-50 cursor-pointer'
/** The page's main action (e.g. Collect on the live page): filled, bold. */
export const primaryBtn =
  'inline-flex items-center gap-1.5 rounded-md border-2 border-accent bg-accent px-3 py-1 text-sm font-bold text-accent-fg disabled:opacity-50 cursor-pointer disabled:cursor-default'
export const iconBtn =
  'inline-flex h-9 w-9 items-center justify-center rounded-md border border-line bg-panel text-lg text-fg hover:border-accent disabled:opacity-40 aria-disabled:opacity-40 aria-disabled:cursor-default cursor-pointer'
