import { parserCases } from './parsers.bench'
const which = process.argv[2] ?? 'Ct'
const mode = process.argv[3] ?? 'parse'
const c = parserCases().find((c) => c.name.includes(which))!
const g = (globalThis as any).gc
for (let i = 0; i < 30; i++) { g?.(); mode === 'all' ? c.parseReadAll(c.input) : c.parse(c.input) }
