/**
 * No "?" or placeholder reaches a sentence: every hop summary and warning of every demo and
 * fixture capture, walked both ways, says what is unknown in words.
 */
/// <reference types="vite/client" />
import { describe, expect, it } from 'vitest'
import { validateCapture } from '@/lib/formats/capture-schema'
import type { Capture } from '@/lib/model/capture'
import { inferWalk } from './walk'

const CAPTURES = import.meta.glob(['../demo/*.capture.json', './fixtures/captures/*.capture.json'], { eager: true, import: 'default' }) as Record<string, unknown>

describe('sentences without placeholders', () => {
  for (const [file, json] of Object.entries(CAPTURES)) {
    it(file.split('/').pop() as string, () => {
      const r = validateCapture(structuredClone(json))
      if (!r.ok) throw new Error(r.error)
      for (const reply of [false, true]) {
        const w = inferWalk(r.capture as Capture, { reply })
        for (const s of [...w.hops.map((h) => h.summary), ...w.warnings]) {
          expect(s, s).not.toMatch(/(^|[\s(=:])\?($|[\s),])|undefined|NaN|\[object/)
        }
      }
    })
  }
})
