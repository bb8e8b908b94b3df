import { readFileSync } from 'node:fs'
import * as P from '@/lib/parsers'
const text = readFileSync('lib/parsers/fixtures/lab-bench-5000-ip-route.txt','utf8')
const big = Array(20).fill(text).join('')
for (let i = 0; i < 30; i++) P.parseIpRoute(big)
