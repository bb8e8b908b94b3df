// The lab's probe: run inside the pod namespace (ip netns exec <prefix>-pod node tcp-probe.mjs
// <ip> <port> [local-ip]), it opens one TCP connection, sends a line, waits for the echo and closes
// cleanly, so the node's conntrack holds a complete (TIME_WAIT) flow. An echo prefixed `label: `
// (a pod server) is reported as `answered by label`.
import net from 'node:net'
import process from 'node:process'

const [ip, portText, localAddress] = process.argv.slice(2)
const port = Number(portText)
if (!ip || net.isIP(ip) === 0 || (localAddress !== undefined && net.isIP(localAddress) === 0) || !Number.isInteger(port) || port < 1 || port > 65535) {
  process.stderr.write('usage: tcp-probe.mjs <ip> <port> [local-ip]\n')
  process.exit(2)
}

const message = 'packetwalk probe\n'
const sock = net.connect({ host: ip, port, timeout: 3000, ...(localAddress ? { localAddress } : {}) })
let echoed = ''
let local = ''
sock.on('connect', () => {
  local = `${sock.localAddress}:${sock.localPort}`
  sock.write(message)
})
sock.on('data', (d) => {
  echoed += d.toString()
  if (echoed.endsWith(message)) sock.end()
})
sock.on('timeout', () => {
  process.stderr.write(`tcp-probe: no answer from ${ip}:${port} within 3 s\n`)
  sock.destroy()
  process.exit(1)
})
sock.on('error', (e) => {
  process.stderr.write(`tcp-probe: ${e.message}\n`)
  process.exit(1)
})
sock.on('close', () => {
  const label = echoed.endsWith(message) ? echoed.slice(0, -message.length).replace(/: $/, '') : undefined
  if (label !== undefined) {
    process.stdout.write(`connected ${local} -> ${ip}:${port}, echoed ${message.length} bytes${label ? `, answered by ${label}` : ''}\n`)
    process.exit(0)
  }
  process.exit(1)
})
