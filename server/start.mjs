#!/usr/bin/env node
// Starts packetwalk: builds once if no production build exists, then serves on 127.0.0.1.
// Listening elsewhere (--host / HOST) is refused unless the server is read-only (captures only)
// or a token protects the live endpoints; see docs/security.md.
//
// Next runs in this process behind a small front (an http server of our own) that does what a
// route handler cannot: it refuses odd methods (TRACE…) and malformed paths with a JSON 4xx, and
// replaces X-Forwarded-For with the socket's address unless --trust-proxy says a proxy sets it.
// Every app/api route then passes the guard (server/http/guard.ts) itself.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import http from 'node:http'
import net from 'node:net'
import os from 'node:os'
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
const trustProxy = args.includes('--trust-proxy') || process.env.PACKETWALK_TRUST_PROXY === '1'
const cacheHome = process.env.XDG_CACHE_HOME && path.isAbsolute(process.env.XDG_CACHE_HOME) ? process.env.XDG_CACHE_HOME : path.join(os.homedir(), '.cache')
const dataDir = path.resolve(opt('data', process.env.PACKETWALK_DATA || path.join(cacheHome, 'packetwalk')))
const maxUploadMb = opt('max-upload-mb', process.env.PACKETWALK_MAX_UPLOAD_MB || '100')
if (!/^\d+(?:\.\d+)?$/.test(maxUploadMb) || Number(maxUploadMb) <= 0) {
  console.error('packetwalk: --max-upload-mb needs a positive number of megabytes')
  process.exit(2)
}
const maxCaptures = opt('max-captures', process.env.PACKETWALK_MAX_CAPTURES || '')
const maxStoreMb = opt('max-store-mb', process.env.PACKETWALK_MAX_STORE_MB || '')
// names (not IP addresses) the Host header may carry; a DNS-rebinding page's name is not among them
const allowedHosts = opt('allowed-hosts', process.env.PACKETWALK_ALLOWED_HOSTS ?? '')
  .split(',')
  .map((h) => h.trim().toLowerCase())
  .filter(Boolean)

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

// beyond loopback, the machine's own name is a name users type; on loopback, localhost suffices
if (!loopback) allowedHosts.push(os.hostname().toLowerCase())
fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 })
Object.assign(process.env, {
  NODE_ENV: 'production',
  PACKETWALK_READ_ONLY: readOnly ? '1' : '',
  PACKETWALK_TOKEN: token ?? '',
  PACKETWALK_HOST: host,
  PACKETWALK_DATA: dataDir,
  PACKETWALK_MAX_UPLOAD_MB: maxUploadMb,
  PACKETWALK_MAX_CAPTURES: maxCaptures,
  PACKETWALK_MAX_STORE_MB: maxStoreMb,
  PACKETWALK_TRUST_PROXY: trustProxy ? '1' : '',
  PACKETWALK_ALLOWED_HOSTS: allowedHosts.join(','),
  PACKETWALK_FRONT: '1',
})

const METHODS = new Set(['GET', 'HEAD', 'POST'])
const refuse = (res, status, error, kind, headers = {}) => {
  const body = JSON.stringify({ error, kind })
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store', ...headers })
  res.end(body)
}

/** What Next cannot answer well; true when the request was answered here. */
function front(req, res) {
  if (!METHODS.has(req.method ?? '')) {
    refuse(res, 405, `method ${String(req.method).slice(0, 20)} not allowed (GET, HEAD, POST)`, 'method-not-allowed', { Allow: 'GET, HEAD, POST', Connection: 'close' })
    return true
  }
  const url = req.url ?? '/'
  const q = url.indexOf('?')
  try {
    decodeURIComponent(q < 0 ? url : url.slice(0, q))
  } catch {
    refuse(res, 400, 'malformed URL (bad percent-encoding)', 'bad-request')
    return true
  }
  if (!trustProxy) {
    // the client's own X-Forwarded-* headers are not believed: the socket says who is there
    for (const h of ['x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'x-forwarded-port', 'forwarded']) delete req.headers[h]
    req.headers['x-forwarded-for'] = req.socket.remoteAddress ?? 'unknown'
  }
  return false
}

// A refusal sent before the body was read (413, 411, 415, 403…) must reach a client that is still
// sending. Node closes a `Connection: close` socket (socket.destroySoon) as soon as the response is
// written; closing with the client's body unread makes the kernel reset the connection, and a
// client whose write hits that reset (EPIPE/ECONNRESET) drops the answer it has not parsed yet —
// on a loaded machine it hung instead of seeing the 413. So, like nginx's lingering close: send
// FIN after the response, keep reading (and dropping) what still arrives, close when the client
// closes or after LINGER_MS.
const LINGER_MS = 5000
const CURRENT = Symbol('packetwalk.currentRequest')
function lingeringDestroySoon() {
  const req = this[CURRENT]
  if (!req || req.complete || this.destroyed) return net.Socket.prototype.destroySoon.call(this)
  this.end()
  const bye = () => this.destroy()
  const timer = setTimeout(bye, LINGER_MS)
  timer.unref()
  this.once('end', bye)
  this.once('close', () => clearTimeout(timer))
  // the http parser still owns the socket: the unread body flows into the request, which is drained
  req.resume()
  this.resume()
}

const { default: next } = await import('next')
const app = next({ dev: false, dir: root, hostname: host, port: Number(port) })
const handle = app.getRequestHandler()
await app.prepare()
const server = http.createServer((req, res) => {
  req.socket[CURRENT] = req
  if (front(req, res)) return
  handle(req, res).catch((e) => {
    process.stderr.write(`packetwalk: ${req.method} ${String(req.url).slice(0, 200)} failed: ${e?.message ?? e}\n`)
    if (!res.headersSent) refuse(res, 500, 'internal error', 'internal')
    else res.destroy()
  })
})
server.on('connection', (socket) => {
  socket.destroySoon = lingeringDestroySoon
})
server.on('clientError', (_e, socket) => {
  if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{"error":"malformed request","kind":"bad-request"}')
  else socket.destroy()
})
server.listen(Number(port), host, () => {
  console.log(`packetwalk: http://${host.includes(':') ? `[${host}]` : host}:${port}${readOnly ? ' (read-only)' : ''} — captures in ${dataDir}`)
  if (token && !readOnly) console.log('packetwalk: live endpoints need the token: open /?token=<token> once in the browser (or send Authorization: Bearer <token>)')
})
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    server.close()
    server.closeAllConnections()
    // uploads still being written to the data folder (server/captures.ts) are finished first
    const store = globalThis[Symbol.for('packetwalk.captureStore')]
    const flushed = store ? store.flush() : Promise.resolve()
    Promise.race([flushed, new Promise((r) => setTimeout(r, 10_000))]).finally(() => process.exit(0))
  })
}
