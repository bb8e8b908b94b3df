/**
 * WCAG contrast of the two themes, read from app/globals.css: the light theme is the projector
 * theme (pale colours vanish on a wall), so its text must reach AAA (7:1); the dark theme AA
 * (4.5:1). Borders and the canvas lines must stay visible (3:1, WCAG 1.4.11).
 */
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

const css = fs.readFileSync(path.join(__dirname, '..', '..', 'app', 'globals.css'), 'utf8')

function theme(name: 'light' | 'dark'): Record<string, string> {
  const block = new RegExp(`\\[data-theme="${name}"\\]\\s*\\{([^}]*)\\}`).exec(css)?.[1] ?? ''
  return Object.fromEntries([...block.matchAll(/--pw-([\w-]+):\s*(#[0-9a-f]{6})/gi)].map((m) => [m[1]!, m[2]!.toLowerCase()]))
}

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
  }) as [number, number, number]
  return 0.2126 * r + 0.7152 * g + 0.0722 * b
}

export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number]
  return (hi + 0.05) / (lo + 0.05)
}

/** Text colour on background, as the components pair them. */
const TEXT: [string, string][] = [
  ['fg', 'bg'],
  ['fg', 'panel'],
  ['fg', 'group'],
  ['muted', 'bg'],
  ['muted', 'panel'],
  ['muted', 'group'],
  ['accent', 'group'],
  ['accent', 'bg'],
  ['accent', 'panel'],
  ['accent-fg', 'accent'],
  ['warn', 'bg'],
  ['warn', 'panel'],
  ['fg', 'proof'],
  ['term-fg', 'proof'],
  ['fg', 'changed'],
  ['term-fg', 'term'],
]
const NON_TEXT: [string, string][] = [
  ['line', 'bg'],
  ['line', 'group'],
  ['accent', 'group'],
  ['proof-bar', 'proof'],
  ['warn', 'group'],
]

describe.each([
  ['light', 7],
  ['dark', 4.5],
] as const)('the %s theme', (name, textMin) => {
  const t = theme(name)

  it('defines every colour the pairs use', () => {
    for (const [a, b] of [...TEXT, ...NON_TEXT]) {
      expect(t[a], `--pw-${a}`).toMatch(/^#[0-9a-f]{6}$/)
      expect(t[b], `--pw-${b}`).toMatch(/^#[0-9a-f]{6}$/)
    }
  })

  it(`keeps text at ${textMin}:1 or more on its background`, () => {
    for (const [fg, bg] of TEXT) expect(contrast(t[fg]!, t[bg]!), `${fg} on ${bg}`).toBeGreaterThanOrEqual(textMin)
  })

  it('keeps borders, lines and markers at 3:1 or more', () => {
    for (const [fg, bg] of NON_TEXT) expect(contrast(t[fg]!, t[bg]!), `${fg} on ${bg}`).toBeGreaterThanOrEqual(3)
  })

  it('keeps the terminal line numbers (60 % opacity) readable', () => {
    const mix = (a: string, b: string, alpha: number) =>
      '#' + [1, 3, 5].map((i) => Math.round(parseInt(a.slice(i, i + 2), 16) * alpha + parseInt(b.slice(i, i + 2), 16) * (1 - alpha)).toString(16).padStart(2, '0')).join('')
    expect(contrast(mix(t['term-fg']!, t.term!, 0.6), t.term!)).toBeGreaterThanOrEqual(4.5)
  })
})

it('reads the real stylesheet (sanity: black on white is 21:1)', () => {
  expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5)
  expect(Object.keys(theme('light')).length).toBeGreaterThan(10)
})
