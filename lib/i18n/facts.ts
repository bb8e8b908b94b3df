/**
 * Labels, tooltips and values of hop facts (walk@1 `facts`) in French and English. Fact names
 * are typed: every name the engine emits has an entry here (a unit test walks every fixture),
 * so the screen never shows a raw key such as `gatewayDevice`. Values that are words of the
 * engine (ingress, masquerade, cilium…) are translated; addresses, devices and captured lines
 * stay verbatim, since they are what the terminal shows.
 */
import type { Lang } from './index'

type Text = Readonly<{ en: string; fr: string }>
type FactText = Readonly<{ label: Text; help: Text }>

const f = (en: string, fr: string, helpEn: string, helpFr: string): FactText => ({ label: { en, fr }, help: { en: helpEn, fr: helpFr } })

export const FACTS = {
  destination: f('Matched route', 'Route choisie', 'The destination prefix of the route that matched', 'Le préfixe de destination de la route qui correspond'),
  gateway: f('Gateway', 'Passerelle', 'The next router the packet is sent to', 'Le prochain routeur auquel le paquet est envoyé'),
  device: f('Interface', 'Interface', 'The network interface involved at this hop', 'L’interface réseau concernée par ce saut'),
  table: f('Table', 'Table', 'Which table holds the entry', 'Quelle table contient l’entrée'),
  type: f('Type', 'Type', 'The kind of rewrite, route or tunnel', 'Le genre de réécriture, de route ou de tunnel'),
  assumes: f('Assumes', 'Hypothèse', 'What the engine had to assume because the capture does not show it', 'Ce que le moteur a dû supposer, faute de le voir dans la capture'),
  ip: f('IP address', 'Adresse IP', 'The address looked up or reached', 'L’adresse cherchée ou atteinte'),
  mac: f('MAC address', 'Adresse MAC', 'The hardware address the neighbour table gives for the IP', 'L’adresse matérielle que la table des voisins donne pour l’IP'),
  state: f('Neighbour state', 'État du voisin', 'The state of the ARP entry, as the kernel prints it', 'L’état de l’entrée ARP, tel que le noyau l’affiche'),
  srcMac: f('Own MAC', 'MAC locale', 'The MAC of the interface that sends the frame', 'La MAC de l’interface qui envoie la trame'),
  gatewayDevice: f('Gateway interface', 'Interface passerelle', 'The interface that owns the gateway address', 'L’interface qui porte l’adresse de la passerelle'),
  answeredBy: f('Answered by', 'Répondu par', 'The interface whose MAC answers for the gateway (proxy ARP)', 'L’interface dont la MAC répond pour la passerelle (proxy ARP)'),
  from: f('From', 'De', 'Where the packet comes from, or the old address', 'D’où vient le paquet, ou l’ancienne adresse'),
  to: f('To', 'Vers', 'Where the packet goes, or the new address', 'Où va le paquet, ou la nouvelle adresse'),
  fromHost: f('From host', 'Depuis', 'The network namespace the packet leaves', 'L’espace de noms réseau que le paquet quitte'),
  toHost: f('To host', 'Vers', 'The network namespace the packet enters', 'L’espace de noms réseau où le paquet entre'),
  candidate: f('Likely peer', 'Pair probable', 'The node-side interface the engine believes is the peer (not proven)', 'L’interface côté nœud que le moteur croit être le pair (non prouvé)'),
  direction: f('Direction', 'Sens', 'Whether the program runs on packets entering or leaving the interface', 'Si le programme s’exécute sur les paquets qui entrent ou qui sortent'),
  program: f('Program', 'Programme', 'The BPF program attached there', 'Le programme BPF attaché à cet endroit'),
  object: f('Object file', 'Fichier objet', 'The compiled BPF object the program comes from', 'Le fichier BPF compilé d’où vient le programme'),
  monitor: f('Monitor verdict', 'Verdict du moniteur', 'What cilium monitor printed for this packet', 'Ce que cilium monitor a affiché pour ce paquet'),
  entry: f('Entry', 'Entrée', 'The table entry, verbatim', 'L’entrée de la table, telle quelle'),
  rule: f('Rule', 'Règle', 'The rule that matched, verbatim', 'La règle qui correspond, telle quelle'),
  by: f('Done by', 'Fait par', 'Which part of the datapath does it', 'Quelle partie du datapath s’en charge'),
  service: f('Service address', 'Adresse du service', 'The virtual address and port of the service', 'L’adresse virtuelle et le port du service'),
  backend: f('Chosen backend', 'Backend choisi', 'The pod address the service is translated to', 'L’adresse du pod vers laquelle le service est traduit'),
  candidates: f('Backends', 'Backends', 'The backends the service may choose among', 'Les backends parmi lesquels le service peut choisir'),
  revNat: f('Reverse NAT id', 'Id de NAT inverse', 'The id Cilium uses to undo the translation on the reply', 'L’identifiant que Cilium utilise pour défaire la traduction sur la réponse'),
  remote: f('Tunnel endpoint', 'Extrémité du tunnel', 'The node address the encapsulated packet is sent to', 'L’adresse du nœud vers lequel le paquet encapsulé est envoyé'),
  identity: f('Security identity', 'Identité de sécurité', 'The Cilium identity of the destination', 'L’identité Cilium de la destination'),
  nextHop: f('Next hop', 'Prochain saut', 'The router that receives the packet after this interface', 'Le routeur qui reçoit le paquet après cette interface'),
  hosts: f('Hosts', 'Hôtes', 'The hosts involved', 'Les hôtes concernés'),
  // Set by the engine's reply walk on a translation undone for the answer (lib/engine/reply.ts).
  reverse: f('Undone on the reply', 'Défaite sur la réponse', 'This rewrite undoes, on the reply, the one made on the request', 'Cette réécriture défait, sur la réponse, celle faite sur la requête'),
} as const satisfies Record<string, FactText>

export type FactName = keyof typeof FACTS

export function isFactName(name: string): name is FactName {
  return Object.hasOwn(FACTS, name)
}

/** Facts whose value names a host of the capture (shown by its display name). */
export const HOST_FACTS: ReadonlySet<string> = new Set(['fromHost', 'toHost'])
/** Facts whose value is a captured line or rule, shown verbatim as code. */
export const VERBATIM_FACTS: ReadonlySet<string> = new Set(['entry', 'rule'])

const VALUES: Record<string, Record<string, Text>> = {
  direction: { ingress: { en: 'ingress (entering)', fr: 'entrée' }, egress: { en: 'egress (leaving)', fr: 'sortie' } },
  table: {
    cilium: { en: 'Cilium (BPF map)', fr: 'Cilium (map BPF)' },
    netfilter: { en: 'netfilter (kernel)', fr: 'netfilter (noyau)' },
    main: { en: 'main', fr: 'main (principale)' },
  },
  type: {
    masquerade: { en: 'masquerade (source NAT)', fr: 'masquerade (NAT source)' },
    snat: { en: 'source NAT', fr: 'NAT source' },
    dnat: { en: 'destination NAT', fr: 'NAT destination' },
    unicast: { en: 'unicast', fr: 'unicast' },
  },
  reverse: { true: { en: 'yes', fr: 'oui' }, false: { en: 'no', fr: 'non' } },
  by: { bpf: { en: 'BPF (Cilium)', fr: 'BPF (Cilium)' }, iptables: { en: 'iptables (netfilter)', fr: 'iptables (netfilter)' } },
}

/** Sentences the engine uses in `assumes`, by pattern, with their French. */
const ASSUMES: { re: RegExp; fr: (m: RegExpExecArray) => string }[] = [
  { re: /^no policy routing \(`ip rule` not captured\)$/, fr: () => 'pas de routage par politique (`ip rule` non capturé)' },
  { re: /^ip rule (.+) not applying to this packet$/, fr: (m) => `les règles ip rule ${m[1] ?? ''} ne s’appliquent pas à ce paquet` },
]

export function factLabel(name: string, lang: Lang): string {
  return isFactName(name) ? FACTS[name].label[lang] : name
}

export function factHelp(name: string, lang: Lang): string {
  return isFactName(name) ? FACTS[name].help[lang] : ''
}

/** The value as shown: engine words translated, everything captured left as is. */
export function factValue(name: string, value: string, lang: Lang): string {
  const word = VALUES[name]?.[value]
  if (word) return word[lang]
  if (name === 'assumes' && lang === 'fr') {
    for (const a of ASSUMES) {
      const m = a.re.exec(value)
      if (m) return a.fr(m)
    }
  }
  return value
}
