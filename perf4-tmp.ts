import { readFileSync } from 'node:fs'
import * as P from '@/lib/parsers'
const text = readFileSync('lib/parsers/fixtures/lab-bench-5000-proc-net-route.txt','utf8')
for (let i = 0; i < 300; i++) P.parseProcNetRoute(text)
