/**
 * vitest setup: every test file gets its own empty data folder, so tests never read or fill the
 * user's capture store (~/.cache/packetwalk).
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll } from 'vitest'

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'packetwalk-test-data-'))
process.env.PACKETWALK_DATA = dir
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))
