import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { defineConfig } from '@playwright/test'

const PORT = Number(process.env.PW_PORT ?? 3100)
// The server's capture store for this run: an empty folder, never the user's ~/.cache/packetwalk.
// Set once in the main process; the workers inherit it (e2e/server.spec.ts reads it).
process.env.PW_DATA_DIR ??= fs.mkdtempSync(path.join(os.tmpdir(), 'packetwalk-e2e-data-'))

export default defineConfig({
  testDir: './e2e',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    trace: 'retain-on-failure',
    viewport: { width: 1280, height: 720 },
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
  webServer: {
    command: `node server/start.mjs --port ${PORT} --data ${process.env.PW_DATA_DIR}`,
    url: `http://127.0.0.1:${PORT}/api/health`,
    reuseExistingServer: !process.env.CI,
    timeout: 300_000,
    // KUBECONFIG: the live page loads it per request; e2e/live.spec.ts writes it in beforeAll,
    // pointing at the Kubernetes API test double (test-support/kube-test-api)
    env: { PACKETWALK_LOG: 'test-results/server-commands.log', KUBECONFIG: 'test-results/e2e-kubeconfig' },
  },
})
