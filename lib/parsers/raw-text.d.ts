/** Vite/Vitest `?raw` imports: a fixture file's text exactly as stored (tests only; no fs in lib/). */
declare module '*.txt?raw' {
  const text: string
  export default text
}
