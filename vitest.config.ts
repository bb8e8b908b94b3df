import { defineConfig } from 'vitest/config'
import path from 'node:path'

export default defineConfig({
  resolve: { alias: { '@': path.resolve(__dirname) } },
  test: {
    environment: 'node',
    include: ['lib/**/*.test.ts', 'server/**/*.test.ts', 'test-support/**/*.test.ts', 'components/**/*.test.ts', 'bench/**/*.test.ts'],
    testTimeout: 30_000,
    // each test file gets its own empty capture store (server/captures.ts), never ~/.cache/packetwalk
    setupFiles: ['server/test-data-dir.ts'],
  },
})
