import { parserCases } from './parsers.bench'
const which = process.argv[2] ?? 'Nf'
const c = parserCases().find((c) => c.name.includes(which))!
let keep: unknown
for (let i = 0; i < 30; i++) { keep = c.parse(c.input) }
void keep
