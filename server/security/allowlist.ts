/**
 * The allowlist of argument vectors a collector may run in a pod, on a node or in an agent. The
 * templates are derived from the plan (lib/collect/plan.ts), so a command is runnable exactly when
 * the plan can ask for it: literal words must match, and the few variable words (a device name
 * learnt from an output) must pass the strict validator of their placeholder.
 *
 * Collectors check every argv here right before running it, and again in the Executor, so a
 * hostile value read from an output (`lxc$(reboot)`) is refused and never reaches a process.
 */
import { MONITOR, POD_FALLBACKS, ROUND1, afterTraffic, deviceCommands, type PlannedCommand } from '@/lib/collect/plan'
import { isDeviceName, isDns1123Label, isDns1123Subdomain, isIpAddress, isNetnsName, isPort } from '@/server/security/names'

export type PlaceholderKind = 'device' | 'netns' | 'dns1123Label' | 'dns1123Subdomain' | 'ip' | 'port'

export const PLACEHOLDERS: Record<PlaceholderKind, (s: string) => boolean> = {
  device: isDeviceName,
  netns: isNetnsName,
  dns1123Label: isDns1123Label,
  dns1123Subdomain: isDns1123Subdomain,
  ip: isIpAddress,
  port: isPort,
}

export type TemplateToken = { literal: string } | { placeholder: PlaceholderKind }

export interface ArgvTemplate {
  tokens: TemplateToken[]
  /** `tc filter show dev {device} ingress`: how the template reads in messages and docs */
  text: string
}

export type ArgvCheck = { ok: true } | { ok: false; reason: string }

const PLACEHOLDER_RE = /^\{(device|netns|dns1123Label|dns1123Subdomain|ip|port)\}$/

/** `tc filter show dev {device} ingress` → a template; words are split on single spaces. */
export function parseTemplate(text: string): ArgvTemplate {
  const tokens: TemplateToken[] = text.split(' ').map((w) => {
    const m = PLACEHOLDER_RE.exec(w)
    return m ? { placeholder: m[1] as PlaceholderKind } : { literal: w }
  })
  return { tokens, text }
}

// Sentinels the plan cannot produce from real data (they fail isDeviceName and isIpAddress), used
// to find which words of the plan's commands are device names and addresses.
const DEVICE_SENTINEL = '\u0000device'
const IP_SENTINEL = '\u0000ip'

function templateOf(cmd: PlannedCommand): ArgvTemplate {
  const tokens: TemplateToken[] = cmd.argv.map((w) =>
    w === DEVICE_SENTINEL ? { placeholder: 'device' } : w === IP_SENTINEL ? { placeholder: 'ip' } : { literal: w },
  )
  const text = tokens.map((t) => ('literal' in t ? t.literal : `{${t.placeholder}}`)).join(' ')
  return { tokens, text }
}

/** Every command of the plan, as templates (duplicates removed). */
export function templatesFromPlan(): ArgvTemplate[] {
  const cmds: PlannedCommand[] = [
    ...ROUND1.pod,
    ...ROUND1.node,
    ...ROUND1.agent,
    ...POD_FALLBACKS,
    ...afterTraffic('node'),
    ...afterTraffic('agent', IP_SENTINEL),
    MONITOR,
    ...deviceCommands(DEVICE_SENTINEL),
  ]
  const seen = new Map<string, ArgvTemplate>()
  for (const c of cmds) {
    const t = templateOf(c)
    if (!seen.has(t.text)) seen.set(t.text, t)
  }
  return [...seen.values()]
}

export const PLAN_TEMPLATES: readonly ArgvTemplate[] = templatesFromPlan()

function matches(argv: readonly string[], t: ArgvTemplate): boolean {
  if (argv.length !== t.tokens.length) return false
  for (let i = 0; i < argv.length; i++) {
    const tok = t.tokens[i]
    const word = argv[i]
    if (tok === undefined || word === undefined) return false
    if ('literal' in tok) {
      if (tok.literal !== word) return false
    } else if (!PLACEHOLDERS[tok.placeholder](word)) {
      return false
    }
  }
  return true
}

/** Shown in refusals: the word, with control characters made visible and long values cut. */
function show(word: string): string {
  const s = JSON.stringify(word)
  return s.length > 60 ? `${s.slice(0, 57)}…"` : s
}

/**
 * `{ok: true}` when argv matches one template exactly; otherwise the reason, naming the first
 * word that no template of that command accepts.
 */
export function checkArgv(argv: readonly string[], templates: readonly ArgvTemplate[] = PLAN_TEMPLATES): ArgvCheck {
  if (argv.length === 0) return { ok: false, reason: 'empty command' }
  for (const t of templates) if (matches(argv, t)) return { ok: true }
  const first = argv[0] ?? ''
  const sameProgram = templates.filter((t) => {
    const tok = t.tokens[0]
    return tok !== undefined && 'literal' in tok && tok.literal === first
  })
  if (sameProgram.length === 0) return { ok: false, reason: `command ${show(first)} is not in the allowlist` }
  // name the word that breaks the closest template (same length, most leading words matched)
  let best: { index: number; template: ArgvTemplate } | undefined
  for (const t of sameProgram) {
    if (t.tokens.length !== argv.length) continue
    let i = 0
    while (i < argv.length) {
      const tok = t.tokens[i]
      const word = argv[i] ?? ''
      const ok = tok !== undefined && ('literal' in tok ? tok.literal === word : PLACEHOLDERS[tok.placeholder](word))
      if (!ok) break
      i++
    }
    if (!best || i > best.index) best = { index: i, template: t }
  }
  if (best) {
    const tok = best.template.tokens[best.index]
    const word = argv[best.index] ?? ''
    const expected = tok && 'placeholder' in tok ? `a valid ${tok.placeholder} name` : `"${tok && 'literal' in tok ? tok.literal : ''}"`
    return { ok: false, reason: `argument ${best.index + 1} ${show(word)} refused (expected ${expected}, template: ${best.template.text})` }
  }
  return { ok: false, reason: `${show(argv.join(' '))} matches no allowed form of ${show(first)}` }
}
