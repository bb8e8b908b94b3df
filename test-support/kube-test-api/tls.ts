/**
 * A throw-away certificate authority and serving certificate for the test double, made at start
 * with openssl (node:crypto makes keys but cannot sign X.509 certificates). Real clients verify
 * them: kubectl and client-node get the CA as `certificate-authority-data` and then, over TLS,
 * send the bearer token as they do to a real apiserver.
 */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

export interface TestCertificates {
  /** PEM of the CA that signed `cert` (goes into the kubeconfig) */
  ca: string
  /** PEM of the serving certificate: CN kube-test-api, SANs 127.0.0.1 and localhost */
  cert: string
  /** PEM of its private key */
  key: string
}

/** Generates a fresh CA and a serving certificate valid for two days (EC P-256, as kubeadm's are ECDSA or RSA). */
export function makeTestCertificates(): TestCertificates {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kube-test-api-tls-'))
  const f = (name: string) => path.join(dir, name)
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'], timeout: 20_000 })
  try {
    openssl(
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-sha256', '-days', '2',
      '-subj', '/CN=kube-test-api-ca', '-keyout', f('ca.key'), '-out', f('ca.crt'),
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
    )
    openssl('req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', '/CN=kube-test-api', '-keyout', f('srv.key'), '-out', f('srv.csr'))
    // Go's verifier ignores the CN: the SANs are what kubectl checks
    fs.writeFileSync(f('srv.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n')
    openssl('x509', '-req', '-sha256', '-days', '2', '-in', f('srv.csr'), '-CA', f('ca.crt'), '-CAkey', f('ca.key'), '-set_serial', `0x${Date.now().toString(16)}`, '-extfile', f('srv.ext'), '-out', f('srv.crt'))
    return { ca: fs.readFileSync(f('ca.crt'), 'utf8'), cert: fs.readFileSync(f('srv.crt'), 'utf8'), key: fs.readFileSync(f('srv.key'), 'utf8') }
  } catch (e) {
    const err = e as { stderr?: Buffer; code?: string; message?: string }
    if (err.code === 'ENOENT') throw new Error('openssl is not installed: the test API server needs it to make its TLS certificate (scripts/install-system-deps.sh installs it)')
    throw new Error(`openssl failed to make the test certificates: ${err.stderr?.toString().trim() || err.message}`)
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}
