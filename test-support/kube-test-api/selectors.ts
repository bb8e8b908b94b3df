/**
 * labelSelector / fieldSelector as the apiserver reads them on list requests, e.g.
 * `k8s-app=cilium`, `app!=web,tier`, `spec.nodeName=lab-node`. Set-based forms (`in (…)`) are
 * not served by the test double: they are answered with a 400 like any selector it cannot parse.
 */

type Requirement = { key: string; op: '=' | '!=' | 'exists' | '!exists'; value?: string }

const KEY = /^[A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?$/

/** Parses a selector; undefined when it is not of a form the double serves. */
export function parseSelector(text: string): Requirement[] | undefined {
  const out: Requirement[] = []
  for (const raw of text.split(',')) {
    const part = raw.trim()
    if (part === '') continue
    const m = /^([^!=\s]+)\s*(==|=|!=)\s*(.*)$/.exec(part)
    if (m) {
      const [, key = '', op, value = ''] = m
      if (!KEY.test(key)) return undefined
      out.push({ key, op: op === '!=' ? '!=' : '=', value: value.trim() })
    } else if (part.startsWith('!') && KEY.test(part.slice(1))) {
      out.push({ key: part.slice(1), op: '!exists' })
    } else if (KEY.test(part)) {
      out.push({ key: part, op: 'exists' })
    } else {
      return undefined
    }
  }
  return out
}

export function matches(reqs: Requirement[], get: (key: string) => string | undefined): boolean {
  return reqs.every((r) => {
    const v = get(r.key)
    switch (r.op) {
      case '=':
        return v === r.value
      case '!=':
        return v !== r.value
      case 'exists':
        return v !== undefined
      case '!exists':
        return v === undefined
    }
  })
}

/** Reads a dotted field path (`spec.nodeName`, `metadata.name`) of an API object. */
export function fieldOf(obj: Record<string, unknown>, path: string): string | undefined {
  let cur: unknown = obj
  for (const k of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined
    cur = (cur as Record<string, unknown>)[k]
  }
  return typeof cur === 'string' ? cur : typeof cur === 'boolean' || typeof cur === 'number' ? String(cur) : undefined
}
