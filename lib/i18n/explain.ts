/**
 * Plain-language explanation of one hop, in French or English, built only from the hop's kind
 * and facts (never from the engine's English `summary`, which stays a fallback for unknown kinds).
 * A missing fact leaves its clause out instead of printing "undefined".
 */
import { stringFacts, type Hop } from '@/lib/model/walk'
import type { Lang } from './index'

/** A host named in a sentence: `the pod x` / `le pod x` / `du pod x` (French needs both articles). */
export interface HostPhrase {
  en: string
  fr: string
  frOf: string
}

/** How to name a host in a sentence, e.g. `the pod default/client` / `le nœud node-7o7xd`. */
export interface ExplainContext {
  where: (host: string) => HostPhrase
}

type Parts = { en: string; fr: string }
type Facts = Record<string, string>

const isDefault = (cidr?: string) => cidr === '0.0.0.0/0' || cidr === 'default' || cidr === '::/0'

function route(f: Facts, w: HostPhrase, dst: string): Parts {
  const matched = isDefault(f.destination)
    ? { en: 'the default route (0.0.0.0/0)', fr: 'la route par défaut (0.0.0.0/0)' }
    : { en: `the route ${f.destination ?? '?'}`, fr: `la route ${f.destination ?? '?'}` }
  const how = f.gateway
    ? { en: `: via the gateway ${f.gateway}`, fr: ` : via la passerelle ${f.gateway}` }
    : { en: ': directly connected', fr: ' : réseau directement connecté' }
  const dev = f.device ? { en: ` on ${f.device}`, fr: ` sur ${f.device}` } : { en: '', fr: '' }
  const table = f.table ? { en: ` (table ${f.table})`, fr: ` (table ${f.table})` } : { en: '', fr: '' }
  return {
    en: `The routing table of ${w.en}${table.en} looks up ${dst}. It matches ${matched.en}${how.en}${dev.en}.`,
    fr: `La table de routage ${w.frOf}${table.fr} cherche ${dst}. C’est ${matched.fr} qui correspond${how.fr}${dev.fr}.`,
  }
}

function neighbor(f: Facts, w: HostPhrase): Parts {
  const dev = f.device ? { en: ` on ${f.device}`, fr: ` sur ${f.device}` } : { en: '', fr: '' }
  if (!f.mac)
    return {
      en: `To put ${f.ip ?? 'the next hop'} in the Ethernet frame, ${w.en} needs its MAC address, from its neighbour (ARP) table${dev.en}.`,
      fr: `Pour envoyer la trame Ethernet à ${f.ip ?? 'la passerelle'}, ${w.fr} a besoin de son adresse MAC, qu’il trouve dans sa table ARP${dev.fr}.`,
    }
  return {
    en: `To put ${f.ip ?? 'the next hop'} in the Ethernet frame, ${w.en} needs its MAC address. The neighbour (ARP) table answers: ${f.ip ?? '?'} is at ${f.mac ?? '?'}${dev.en}. That MAC becomes the frame's destination.`,
    fr: `Pour envoyer la trame Ethernet à ${f.ip ?? 'la passerelle'}, ${w.fr} a besoin de son adresse MAC. La table ARP répond : ${f.ip ?? '?'} est à ${f.mac ?? '?'}${dev.fr}. Cette MAC devient la destination de la trame.`,
  }
}

function veth(f: Facts, ctx: ExplainContext): Parts {
  const to = f.toHost ? ctx.where(f.toHost) : { en: 'the other side', fr: 'l’autre côté' }
  return {
    en: `${f.from ?? 'The interface'} and ${f.to ?? '?'} are the two ends of one veth pair: what leaves ${f.from ?? 'one end'} comes out of ${f.to ?? 'the other'} in ${to.en}.`,
    fr: `${f.from ?? 'L’interface'} et ${f.to ?? '?'} sont les deux bouts d’une même paire veth : ce qui sort par ${f.from ?? 'un bout'} ressort par ${f.to ?? 'l’autre'} dans ${to.fr}.`,
  }
}

function bpf(f: Facts): Parts {
  const dir = f.direction === 'egress' ? { en: 'egress', fr: 'en sortie' } : { en: 'ingress', fr: 'en entrée' }
  const obj = f.object ? { en: ` (from ${f.object})`, fr: ` (de ${f.object})` } : { en: '', fr: '' }
  return {
    en: `A BPF program is attached to ${f.device ?? '?'} (${dir.en}): ${f.program ?? '?'}${obj.en} runs on every packet that crosses it. This is Cilium's datapath.`,
    fr: `Un programme BPF est attaché à ${f.device ?? '?'} (${dir.fr}) : ${f.program ?? '?'}${obj.fr} s’exécute sur chaque paquet qui passe. C’est le datapath de Cilium.`,
  }
}

function nat(f: Facts): Parts {
  const by = f.by ? { en: ` by ${f.by}`, fr: ` par ${f.by}` } : { en: '', fr: '' }
  if (f.type === 'dnat')
    return {
      en: `Destination NAT${by.en}: the destination ${f.from ?? '?'} is rewritten to ${f.to ?? '?'}.`,
      fr: `NAT de destination${by.fr} : la destination ${f.from ?? '?'} est réécrite en ${f.to ?? '?'}.`,
    }
  const kind = f.type === 'masquerade' ? { en: 'Masquerade', fr: 'Masquerade' } : { en: 'Source NAT', fr: 'NAT source' }
  return {
    en: `${kind.en}${by.en}: the pod's source address ${f.from ?? '?'} is replaced by the node's address ${f.to ?? '?'}, so that the answer can find its way back.`,
    fr: `${kind.fr}${by.fr} : l’adresse source du pod ${f.from ?? '?'} est remplacée par l’adresse du nœud ${f.to ?? '?'}, pour que la réponse puisse revenir.`,
  }
}

function conntrack(f: Facts): Parts {
  const t = f.table === 'cilium'
    ? { en: 'Cilium’s BPF connection-tracking table', fr: 'La table de suivi de connexions BPF de Cilium' }
    : { en: 'the kernel’s netfilter connection-tracking table', fr: 'La table de suivi de connexions netfilter du noyau' }
  return {
    en: `${t.en.charAt(0).toUpperCase()}${t.en.slice(1)} holds an entry for this flow: the connection was seen here.`,
    fr: `${t.fr} contient une entrée pour ce flux : la connexion est bien passée par là.`,
  }
}

const simple: Partial<Record<Hop['kind'], (f: Facts) => Parts>> = {
  lb: (f) => ({
    en: `The service address ${f.service ?? '?'} is translated to the backend ${f.backend ?? '?'}${f.by ? ` by ${f.by}` : ''}.`,
    fr: `L’adresse de service ${f.service ?? '?'} est traduite vers le backend ${f.backend ?? '?'}${f.by ? ` par ${f.by}` : ''}.`,
  }),
  tunnel: (f) => ({
    en: `The packet is encapsulated (${f.type ?? '?'}) on ${f.device ?? '?'} and sent to ${f.remote ?? '?'}.`,
    fr: `Le paquet est encapsulé (${f.type ?? '?'}) sur ${f.device ?? '?'} et envoyé vers ${f.remote ?? '?'}.`,
  }),
  egress: (f) => ({
    en: `The packet leaves the node on ${f.device ?? '?'}${f.nextHop ? `, towards the gateway ${f.nextHop}` : ''}.`,
    fr: `Le paquet quitte le nœud par ${f.device ?? '?'}${f.nextHop ? `, vers la passerelle ${f.nextHop}` : ''}.`,
  }),
  deliver: (f) => ({
    en: `The packet reaches ${f.ip ?? 'its destination'}${f.device ? ` on ${f.device}` : ''}.`,
    fr: `Le paquet arrive à ${f.ip ?? 'destination'}${f.device ? ` sur ${f.device}` : ''}.`,
  }),
}

/** One or two sentences saying what happens at `hop`, in `lang`. */
export function explainHop(hop: Hop, lang: Lang, ctx: ExplainContext, destinationIp: string): string {
  const f = stringFacts(hop.facts)
  const w = ctx.where(hop.host)
  let parts: Parts | undefined
  switch (hop.kind) {
    case 'route': parts = route(f, w, destinationIp); break
    case 'neighbor': parts = neighbor(f, w); break
    case 'veth': parts = veth(f, ctx); break
    case 'bpf': parts = bpf(f); break
    case 'nat': parts = nat(f); break
    case 'conntrack': parts = conntrack(f); break
    default: parts = simple[hop.kind]?.(f)
  }
  return parts ? parts[lang] : hop.summary
}

const sentence = (s: string) => {
  const t = s.trim()
  return t ? `${t.charAt(0).toUpperCase()}${t.slice(1)}${/[.!?]$/.test(t) ? '' : '.'}` : t
}

/**
 * Why an unproven hop is unproven. The engine's `why` is English, so French gets a sentence of
 * its own built from the command and host instead of a mixed-language one.
 */
export function explainUnproven(hop: Hop, lang: Lang, ctx: ExplainContext): string | undefined {
  if (hop.proven !== false || !hop.prove) return undefined
  const w = ctx.where(hop.prove.host)
  return lang === 'fr'
    ? `La capture ne contient pas la sortie qui le prouverait : il faut lancer « ${hop.prove.command} » dans ${w.fr}.`
    : sentence(hop.prove.why)
}
