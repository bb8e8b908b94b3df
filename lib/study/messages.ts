/**
 * Strings of the slides, the offline player and predict mode, in both languages. A dictionary of
 * their own (not lib/i18n/en.ts) so these features stay in their own modules; `Dict` enforces
 * that French has every English key.
 */
import { format, type Lang } from '@/lib/i18n'

const en = {
  'slide.hop': 'hop {n} of {total}',
  'slide.capture': 'capture {name}',
  'export.noPlayer': 'The offline player is not built on this server (npm run build builds it).',
  'offline.title': 'packetwalk — offline walk',
  'offline.note': 'Offline copy: {n} hops, evidence lines embedded, no server needed.',
  'offline.noMore': 'Only the lines around the evidence are in this offline file.',
  'predict.title': 'What happens next?',
  'predict.progress': 'Before hop {n} of {total}',
  'predict.check': 'Check',
  'predict.reveal': 'Reveal hop {n}',
  'predict.right': 'Right.',
  'predict.wrong': 'Not quite: the answer is {answer}.',
  'predict.proof': 'The line that proves it',
  'predict.noProof': 'No line proves this hop: the capture lacks {command}.',
  'predict.score': 'Score: {score} of {total}',
  'predict.done': 'Walk finished',
  'predict.again': 'Start again',
  'predict.q.place': 'Where does the packet go next?',
  'predict.q.source': 'Which source address does the packet carry after the next hop?',
  'predict.q.destination': 'Which destination address does the packet carry after the next hop?',
  'predict.q.decider': 'What decides the next hop?',
  'predict.q.device': 'Which device does the packet use next?',
  'predict.unchanged': '{ip} (unchanged)',
  'decider.route': 'the routing table{table}',
  'decider.neighbor': 'the neighbour (ARP) table',
  'decider.veth': 'the veth pair (no decision: the packet crosses to the peer)',
  'decider.bpf': 'a BPF program ({program})',
  'decider.lb': 'the service load balancer ({by})',
  'decider.natIptables': 'an iptables NAT rule',
  'decider.natBpf': 'the BPF NAT map',
  'decider.ctCilium': 'the Cilium connection-tracking table',
  'decider.ctNetfilter': 'the netfilter connection-tracking table',
  'decider.tunnel': 'the tunnel device ({type})',
  'decider.egress': 'the node’s interface toward the next hop',
  'decider.deliver': 'the destination’s own address (local delivery)',
  'place.pod': 'in the pod',
  'place.node': 'on the node',
  'place.world': 'outside the cluster',
} as const

export type StudyKey = keyof typeof en
type Dict = Record<StudyKey, string>

const fr: Dict = {
  'slide.hop': 'étape {n} sur {total}',
  'slide.capture': 'capture {name}',
  'export.noPlayer': 'Le lecteur hors ligne n’est pas construit sur ce serveur (npm run build le construit).',
  'offline.title': 'packetwalk — parcours hors ligne',
  'offline.note': 'Copie hors ligne : {n} sauts, lignes de preuve incluses, sans serveur.',
  'offline.noMore': 'Ce fichier hors ligne ne contient que les lignes autour des preuves.',
  'predict.title': 'Que se passe-t-il ensuite ?',
  'predict.progress': 'Avant le saut {n} sur {total}',
  'predict.check': 'Vérifier',
  'predict.reveal': 'Montrer le saut {n}',
  'predict.right': 'Exact.',
  'predict.wrong': 'Pas tout à fait : la réponse est {answer}.',
  'predict.proof': 'La ligne qui le prouve',
  'predict.noProof': 'Aucune ligne ne prouve ce saut : il manque {command} dans la capture.',
  'predict.score': 'Score : {score} sur {total}',
  'predict.done': 'Parcours terminé',
  'predict.again': 'Recommencer',
  'predict.q.place': 'Où va le paquet ensuite ?',
  'predict.q.source': 'Quelle adresse source le paquet porte-t-il après le prochain saut ?',
  'predict.q.destination': 'Quelle adresse de destination le paquet porte-t-il après le prochain saut ?',
  'predict.q.decider': 'Qu’est-ce qui décide du prochain saut ?',
  'predict.q.device': 'Quelle interface le paquet emprunte-t-il ensuite ?',
  'predict.unchanged': '{ip} (inchangée)',
  'decider.route': 'la table de routage{table}',
  'decider.neighbor': 'la table des voisins (ARP)',
  'decider.veth': 'la paire veth (aucune décision : le paquet passe de l’autre côté)',
  'decider.bpf': 'un programme BPF ({program})',
  'decider.lb': 'l’équilibrage du service ({by})',
  'decider.natIptables': 'une règle NAT iptables',
  'decider.natBpf': 'la table NAT BPF',
  'decider.ctCilium': 'la table de suivi de connexions de Cilium',
  'decider.ctNetfilter': 'la table de suivi de connexions netfilter',
  'decider.tunnel': 'l’interface de tunnel ({type})',
  'decider.egress': 'l’interface du nœud vers le saut suivant',
  'decider.deliver': 'l’adresse propre de la destination (remise locale)',
  'place.pod': 'dans le pod',
  'place.node': 'sur le nœud',
  'place.world': 'hors du cluster',
}

const DICTS: Record<Lang, Dict> = { en, fr }

export function studyText(lang: Lang, key: StudyKey, params?: Record<string, string | number>): string {
  return format(DICTS[lang][key], params)
}

export const STUDY_DICTS = DICTS
