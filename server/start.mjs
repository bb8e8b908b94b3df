#!/usr/bin/env node
// Starts packetwalk: builds once if no production build exists, then serves on 127.0.0.1.
// Listening elsewhere (--host / HOST) is refused unless the server is read-only (captures only)
// or a token protects the live endpoints; see docs/security.md.
import { spawnSync, spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const args = process.argv.slice(2)
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`)
  if (i < 0) return fallback
  const v = args[i + 1]
  if (v === undefined || v.startsWith('--')) {
    console.error(`packetwalk: --${name} needs a value`)
    process.exit(2)
  }
  return v
}
const host = opt('host', process.env.HOST ?? '127.0.0.1')
const port = opt('port', process.env.PORT ?? '3000')
const readOnly = args.includes('--read-only') || process.env.PACKETWALK_READ_ONLY === '1'
const token = opt('token', process.env.PACKETWALK_TOKEN)

const loopback = host === 'localhost' || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host)
if (token && token.length < 16) {
  console.error('packetwalk: the token must be at least 16 characters (e.g. `openssl rand -hex 16`).')
  process.exit(2)
}
if (!loopback && !readOnly && !token) {
  console.error(`packetwalk: refusing to listen on ${host} with live cluster access and no token.`)
  console.error('  Use --read-only (captures only) or --token <secret> (or PACKETWALK_TOKEN).')
  process.exit(2)
}

if (!fs.existsSync(path.join(root, '.next', 'BUILD_ID'))) {
  console.log('packetwalk: no production build yet, building once (next build)…')
  const b = spawnSync(process.execPath, [path.join(root, 'node_modules/next/dist/bin/next'), 'build'], { cwd: root, stdio: 'inherit' })
  if (b.status !== 0) process.exit(b.status ?? 1)
}
// The offline walk player (npm run build's postbuild); a plain `next build` does not make it.
if (!fs.existsSync(path.join(root, 'public', 'offline', 'player.html'))) {
  spawnSync(process.execPath, [path.join(root, 'scripts', 'build-offline-player.mjs')], { cwd: root, stdio: 'inherit' })
}

const env = { ...process.env, PACKETWALK_READ_ONLY: readOnly ? '1' : '', PACKETWALK_TOKEN: token ?? '', PACKETWALK_HOST: host }
console.log(`packetwalk: http://${host.includes(':') ? `[${host}]` : host}:${port}${readOnly ? ' (read-only)' : ''}`)
if (token && !readOnly) console.log('packetwalk: live endpoints need the token: open /?token=<token> once in the browser (or send Authorization: Bearer <token>)')
const child = spawn(process.execPath, [path.join(root, 'node_modules/next/dist/bin/next'), 'start', '-H', host, '-p', String(port)], { cwd: root, stdio: 'inherit', env })
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig))
child.on('exit', (code) => process.exit(code ?? 0))
