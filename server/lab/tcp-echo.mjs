// The lab's "internet" host: a tiny TCP echo server run inside the world namespace by
// `npm run lab -- up` (ip netns exec <prefix>-world node tcp-echo.mjs <ip> <port> <lifetime-s> [label]),
// and the lab's pod servers. With a label (`default/backend`) the echo is prefixed `label: `, so a
// client of a service learns which backend answered. It exits on its own after its lifetime, and
// on SIGTERM from `npm run lab -- down`.
import net from 'node:net'
import process from 'node:process'
import { setTimeout } from 'node:timers'

const [ip, portText, lifetimeText = '1800', label] = process.argv.slice(2)
const port = Number(portText)
const lifetime = Number(lifetimeText)
if (!ip || net.isIP(ip) === 0 || !Number.isInteger(port) || port < 1 || port > 65535 || !(lifetime > 0 && lifetime <= 86400)) {
  process.stderr.write('usage: tcp-echo.mjs <ip> <port> [lifetime-seconds]\n')
  process.exit(2)
}

const server = net.createServer((sock) => {
  sock.setTimeout(5000, () => sock.destroy())
  let first = true
  sock.on('data', (d) => {
    if (first && label) sock.write(`${label}: `)
    first = false
    sock.write(d)
  })
  sock.on('end', () => sock.end())
  sock.on('error', () => sock.destroy())
})
server.on('error', (e) => {
  process.stderr.write(`tcp-echo: ${e.message}\n`)
  process.exit(1)
})
server.listen(port, ip, () => {
  // the one line the lab waits for; nothing is written to stdout after it (the pipe is closed)
  process.stdout.write(`listening ${ip}:${port}\n`)
})
setTimeout(() => process.exit(0), lifetime * 1000)
process.on('SIGTERM', () => process.exit(0))
