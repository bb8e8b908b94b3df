import { describe, expect, it } from 'vitest'
import { en } from './en'
import { fr } from './fr'
import { format, pickLang, translate } from './index'
import { explainHop, explainUnproven } from './explain'
import { explainContext } from './host-phrase'
import { seedWalk } from '@/lib/view/seed-walk.fixture'

describe('pickLang', () => {
  it('honours Accept-Language order and q-weights', () => {
    expect(pickLang('fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7')).toBe('fr')
    expect(pickLang('de-DE,de;q=0.9,en;q=0.8,fr;q=0.7')).toBe('en')
    expect(pickLang('en;q=0.5, fr;q=0.8')).toBe('fr')
    expect(pickLang('fr;q=0, en')).toBe('en')
    expect(pickLang('fr-CA')).toBe('fr')
  })
  it('falls back when nothing matches', () => {
    expect(pickLang('de, es')).toBe('en')
    expect(pickLang(undefined, 'fr')).toBe('fr')
  })
})

describe('dictionaries', () => {
  it('have the same keys and the same placeholders in both languages', () => {
    expect(Object.keys(fr).sort()).toEqual(Object.keys(en).sort())
    const holes = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort()
    for (const k of Object.keys(en) as (keyof typeof en)[]) expect(holes(fr[k]), k).toEqual(holes(en[k]))
  })
  it('fills placeholders and leaves unknown ones visible', () => {
    expect(translate('fr', 'controls.step', { n: 3, total: 10 })).toBe('Saut 3 sur 10')
    expect(format('{a} {b}', { a: 1 })).toBe('1 {b}')
  })
})

describe('explanations of the seed walk', () => {
  const { walk, hosts } = seedWalk()
  const ctx = explainContext(hosts, walk.flow.source.ip)
  const say = (i: number, lang: 'fr' | 'en') => explainHop(walk.hops[i]!, lang, ctx, walk.flow.destination.ip)

  it('names the matched route and gateway of the pod', () => {
    expect(say(0, 'en')).toBe(
      'The routing table of the pod 10.244.0.213 looks up 1.0.0.1. It matches the default route (0.0.0.0/0): via the gateway 10.244.0.201 on eth0.',
    )
    expect(say(0, 'fr')).toBe(
      'La table de routage du pod 10.244.0.213 cherche 1.0.0.1. C’est la route par défaut (0.0.0.0/0) qui correspond : via la passerelle 10.244.0.201 sur eth0.',
    )
  })

  it('names the MAC that answered, the program that ran and the masquerade address', () => {
    expect(say(1, 'fr')).toContain('10.244.0.201 est à f6:93:7d:11:4d:37 sur eth0')
    const bpf = walk.hops.findIndex((h) => h.kind === 'bpf')
    expect(say(bpf, 'en')).toContain('from-container (from bpf_lxc.o)')
    const nat = walk.hops.findIndex((h) => h.kind === 'nat')
    expect(say(nat, 'fr')).toContain('remplacée par l’adresse du nœud 164.92.138.123')
  })

  it('says how to prove the unproven node ARP hop, in each language', () => {
    const hop = walk.hops.find((h) => h.proven === false)!
    expect(explainUnproven(hop, 'fr', ctx)).toBe(
      'La capture ne contient pas la sortie qui le prouverait : il faut lancer « ip neigh » dans le nœud node-7o7xd.',
    )
    expect(explainUnproven(hop, 'en', ctx)).toMatch(/^The neighbour table of node-7o7xd was not captured\.$/)
    expect(explainUnproven(walk.hops[0]!, 'en', ctx)).toBeUndefined()
  })
})
