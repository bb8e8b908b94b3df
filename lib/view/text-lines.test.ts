import { describe, expect, it } from 'vitest'
import { lineStarts, sliceLines } from './text-lines'

describe('line access', () => {
  it('numbers lines like the parsers: a trailing newline does not add a line', () => {
    const text = 'a\nb\r\nc\n'
    const starts = lineStarts(text)
    expect(starts).toHaveLength(3)
    expect(sliceLines(text, starts, 1, 10)).toEqual(['a', 'b', 'c'])
    expect(sliceLines(text, starts, 3, 1)).toEqual(['c'])
  })
  it('handles empty output and output without a final newline', () => {
    expect(lineStarts('')).toEqual([])
    const t = 'x\ny'
    expect(sliceLines(t, lineStarts(t), 2, 5)).toEqual(['y'])
  })
})
