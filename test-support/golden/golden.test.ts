/**
 * Golden walks: every capture file in the repository has its reviewed walk next to it
 * (x.capture.json → x.walk.json, x.reply.walk.json once the engine walks replies), and today's
 * engine gives exactly that walk. A failure names the file and the first hop that differs;
 * `npm run golden` rewrites the goldens for review.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { checkGoldens, engineWalksReplies, expectedGoldens, findCaptureFiles, orphanGoldens, ROOT } from '@/scripts/golden'
import type { Walk } from '@/lib/model/walk'
import { firstDifference, goldenText } from '@/lib/golden/format'

const captures = findCaptureFiles()

describe('golden walks', () => {
  it('finds every capture of the repository: demos, engine fixtures, command fixtures', () => {
    expect(captures).toEqual(expect.arrayContaining(['lib/demo/seed-doks.capture.json', 'lib/demo/lab.capture.json', 'lib/commands/fixtures/seed-wrapped.capture.json']))
    const fixtures = fs.readdirSync(path.join(ROOT, 'lib/engine/fixtures/captures')).filter((f) => f.endsWith('.capture.json'))
    expect(fixtures.length).toBeGreaterThan(0)
    for (const f of fixtures) expect(captures).toContain(`lib/engine/fixtures/captures/${f}`)
  })

  it.each(captures)('%s walks as its golden', (capture) => {
    const problems = checkGoldens(capture)
    expect(problems, problems.join('\n')).toEqual([])
  })

  it('a capture whose flow is already a reply has no reply golden (the reply of a reply is the request walked as an answer)', () => {
    const replyCaptures = captures.filter((c) => c.endsWith('-reply.capture.json'))
    expect(replyCaptures.length).toBeGreaterThan(0)
    for (const c of replyCaptures) expect(expectedGoldens(c).goldens.map((g) => g.file)).toEqual([c.replace(/\.capture\.json$/, '.walk.json')])
    expect(expectedGoldens('lib/demo/lab-egress.capture.json').goldens).toHaveLength(2)
  })

  it('no golden is left without its capture', () => {
    expect(orphanGoldens()).toEqual([])
  })
})

describe('golden checks say clearly what is wrong', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'packetwalk-golden-'))
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }))
  const seedText = fs.readFileSync(path.join(ROOT, 'lib/demo/seed-doks.capture.json'), 'utf8')
  const seedGolden = fs.readFileSync(path.join(ROOT, 'lib/demo/seed-doks.walk.json'), 'utf8')
  // reply goldens exist once the engine walks replies (it does since engine v2)
  const replies = engineWalksReplies([path.join(ROOT, 'lib/demo/seed-doks.capture.json')])
  const seedReplyGolden = replies ? fs.readFileSync(path.join(ROOT, 'lib/demo/seed-doks.reply.walk.json'), 'utf8') : ''
  const put = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(tmp, rel)), { recursive: true })
    fs.writeFileSync(path.join(tmp, rel), text)
  }

  it('picks up a capture dropped into any folder, and asks for its golden', () => {
    put('lib/demo/lab-new.capture.json', seedText)
    expect(findCaptureFiles(tmp)).toContain('lib/demo/lab-new.capture.json')
    expect(checkGoldens('lib/demo/lab-new.capture.json', tmp)).toEqual([
      'lib/demo/lab-new.walk.json is missing: run `npm run golden` and review the new file',
      ...(replies ? ['lib/demo/lab-new.reply.walk.json is missing: run `npm run golden` and review the new file'] : []),
    ])
    put('lib/demo/lab-new.walk.json', seedGolden)
    if (replies) put('lib/demo/lab-new.reply.walk.json', seedReplyGolden)
    expect(checkGoldens('lib/demo/lab-new.capture.json', tmp)).toEqual([])
  })

  it('a changed hop is named with its number, kind, host and field', () => {
    const golden = JSON.parse(seedGolden)
    golden.hops[6].facts.gateway = '10.0.0.1'
    put('a/x.capture.json', seedText)
    put('a/x.walk.json', goldenText(golden))
    const [problem] = checkGoldens('a/x.capture.json', tmp)
    expect(problem).toMatch(/^a\/x\.walk\.json differs from the walk of a\/x\.capture\.json: hop 7 \(route on node-7o7xd\): facts differs — golden \{.*"gateway":"10\.0\.0\.1".*\}, now \{.*\}\. If the change is right, run `npm run golden`/)
  })

  it('a golden that is not a valid walk, or not JSON, says so', () => {
    const golden = JSON.parse(seedGolden)
    golden.hops[0].kind = 'teleport'
    put('b/x.capture.json', seedText)
    put('b/x.walk.json', JSON.stringify(golden))
    expect(checkGoldens('b/x.capture.json', tmp)[0]).toMatch(/^b\/x\.walk\.json is not a valid walk: hops\[0\]\.kind/)
    put('b/x.walk.json', '{"format": ')
    expect(checkGoldens('b/x.capture.json', tmp)[0]).toMatch(/^b\/x\.walk\.json is not JSON/)
  })

  it('an invalid capture fails with its own message, naming the file and the field', () => {
    const bad = JSON.parse(seedText)
    bad.flow.destination.ip = '10.0.0.300'
    put('c/x.capture.json', JSON.stringify(bad))
    expect(checkGoldens('c/x.capture.json', tmp)).toEqual(['invalid capture c/x.capture.json: invalid capture: flow.destination.ip: "10.0.0.300" is not an IPv4 or IPv6 address'])
  })

  it('the same walk in another key order or spacing is asked to be rewritten, not called a change', () => {
    put('d/x.capture.json', seedText)
    put('d/x.walk.json', JSON.stringify(JSON.parse(seedGolden)))
    if (replies) put('d/x.reply.walk.json', seedReplyGolden)
    expect(checkGoldens('d/x.capture.json', tmp)).toEqual(['d/x.walk.json holds this walk but not in the golden format (2-space JSON, stable key order): run `npm run golden`'])
  })

  it('the reply golden is compared too, once the engine walks replies', () => {
    expect(replies).toBe(true)
    const golden = JSON.parse(seedReplyGolden)
    golden.hops[0].host = 'elsewhere'
    put('f/x.capture.json', seedText)
    put('f/x.walk.json', seedGolden)
    put('f/x.reply.walk.json', goldenText(golden))
    expect(checkGoldens('f/x.capture.json', tmp)).toEqual([expect.stringMatching(/^f\/x\.reply\.walk\.json differs from the walk of f\/x\.capture\.json: hop 1 \(\w+ on elsewhere\): host differs — golden "elsewhere", now "/)])
  })

  it('a golden with no capture is an orphan', () => {
    put('e/gone.walk.json', seedGolden)
    expect(orphanGoldens(tmp)).toContain('e/gone.walk.json')
  })

  it('formats deterministically: stable key order, 2 spaces, trailing newline', () => {
    const w = JSON.parse(seedGolden) as Walk
    const shuffled = Object.fromEntries(Object.entries(w).reverse())
    expect(goldenText(shuffled as unknown as typeof w)).toBe(seedGolden)
    expect(seedGolden.endsWith('}\n')).toBe(true)
    expect(seedGolden.split('\n')[1]).toBe('  "format": "packetwalk/walk@1",')
    expect(firstDifference(w, w)).toBe('no difference')
  })
})
