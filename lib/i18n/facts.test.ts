import { describe, expect, it } from 'vitest'
import { inferWalk } from '@/lib/engine'
import { validateCapture } from '@/lib/formats/capture-schema'
import seed from '@/lib/demo/seed-doks.capture.json'
import lab from '@/lib/demo/lab.capture.json'
import g1 from '@/lib/engine/fixtures/captures/g1-arthurchiao-cilium18-service.capture.json'
import g3 from '@/lib/engine/fixtures/captures/g3-arthurchiao-minikube15-service.capture.json'
import g3single from '@/lib/engine/fixtures/captures/g3-arthurchiao-minikube15-single-backend.capture.json'
import g4 from '@/lib/engine/fixtures/captures/g4-tkng-cilium19-vxlan-pod-to-pod.capture.json'
import g5pod from '@/lib/engine/fixtures/captures/g5-tkng-calico-bgp-pod-to-pod.capture.json'
import g5out from '@/lib/engine/fixtures/captures/g5-tkng-calico-bgp-pod-to-outside.capture.json'
import g7 from '@/lib/engine/fixtures/captures/g7-tkng-kubeproxy-iptables-service.capture.json'
import g11 from '@/lib/engine/fixtures/captures/g11-kwx-cilium1175-native-tcx.capture.json'
import g14 from '@/lib/engine/fixtures/captures/g14-kwx-cilium1181-native-endpoint-routes.capture.json'
import kpr from '@/lib/engine/fixtures/captures/tanjunchen-kind-cilium-kpr-service.capture.json'
import kubeProxy from '@/lib/engine/fixtures/captures/tanjunchen-kind-kubeproxy-service.capture.json'
import { FACTS, factLabel, factValue, isFactName } from './facts'

const captures = { seed, lab, g1, g3, g3single, g4, g5pod, g5out, g7, g11, g14, kpr, kubeProxy }

describe('fact labels', () => {
  it('name every fact the engine states on every demo and fixture, in both languages', () => {
    for (const [name, json] of Object.entries(captures)) {
      const r = validateCapture(structuredClone(json))
      if (!r.ok) throw new Error(r.error)
      for (const hop of inferWalk(r.capture).hops)
        for (const key of Object.keys(hop.facts)) expect(isFactName(key), `${name}: ${hop.kind}.${key}`).toBe(true)
    }
  })

  it('name every fact of the demo walks as the page shows them, replies included', () => {
    const walks = import.meta.glob('../demo/*.walk.json', { eager: true, import: 'default' }) as Record<string, { hops: { kind: string; facts: Record<string, unknown> }[] }>
    expect(Object.keys(walks).some((f) => f.endsWith('.reply.walk.json'))).toBe(true)
    for (const [file, walk] of Object.entries(walks)) {
      for (const hop of walk.hops) for (const key of Object.keys(hop.facts)) expect(isFactName(key), `${file}: ${hop.kind}.${key}`).toBe(true)
    }
    expect(factValue('reverse', 'true', 'fr')).toBe('oui')
  })

  it('never shows a camelCase key as a label, and French differs from English where English is a word of its own', () => {
    for (const key of Object.keys(FACTS)) {
      for (const lang of ['fr', 'en'] as const) expect(factLabel(key, lang)).not.toMatch(/[a-z][A-Z]/)
    }
    expect(factLabel('gatewayDevice', 'fr')).toBe('Interface passerelle')
    expect(factLabel('answeredBy', 'en')).toBe('Answered by')
  })

  it('translates the engine’s words and leaves captured values alone', () => {
    expect(factValue('direction', 'ingress', 'fr')).toBe('entrée')
    expect(factValue('type', 'masquerade', 'fr')).toBe('masquerade (NAT source)')
    expect(factValue('assumes', 'no policy routing (`ip rule` not captured)', 'fr')).toBe('pas de routage par politique (`ip rule` non capturé)')
    expect(factValue('gateway', '10.244.0.201', 'fr')).toBe('10.244.0.201')
  })
})
