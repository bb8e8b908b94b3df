import { defineConfig } from '@playwright/test'

const PORT = Number(process.env.PW_PORT ?? 3100)

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
    command: `node server/start.mjs --port ${PORT}`,
    url: `http://127.0.0.1:${PORT}/api/health`,
    reuseExistingServer: !process.env.CI,
    timeout: 300_000,
    // KUBECONFIG: the live page loads it per request; e2e/live.spec.ts writes it in beforeAll,
    // pointing at the Kubernetes API test double (test-support/kube-test-api)
    env: { PACKETWALK_LOG: 'test-results/server-commands.log', KUBECONFIG: 'test-results/e2e-kubeconfig' },
  },
})
