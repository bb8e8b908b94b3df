/**
 * The few strings of slides, offline export and predict mode that the page shows before any of
 * them is used (menu items, the predict button), in both languages. Kept apart from
 * messages.ts so first-load JS carries only these.
 */
import { format, type Lang } from '@/lib/i18n'

const en = {
  'export.png1': 'Slide PNG 1920×1080',
  'export.png2': 'Slide PNG 3840×2160 (2×)',
  'export.svg': 'Slide SVG',
  'export.zip': 'All steps (ZIP of slides)',
  'export.pdf': 'All steps (PDF handout)',
  'export.html': 'Offline walk (HTML file)',
  'export.working': 'Exporting step {n} of {total}…',
  'predict.start': 'Predict',
  'predict.startLabel': 'Predict mode: guess each hop before it is revealed',
  'predict.stop': 'Leave predict mode',
} as const

export type MenuKey = keyof typeof en

const fr: Record<MenuKey, string> = {
  'export.png1': 'Diapo PNG 1920×1080',
  'export.png2': 'Diapo PNG 3840×2160 (2×)',
  'export.svg': 'Diapo SVG',
  'export.zip': 'Toutes les étapes (ZIP de diapos)',
  'export.pdf': 'Toutes les étapes (PDF à distribuer)',
  'export.html': 'Parcours hors ligne (fichier HTML)',
  'export.working': 'Export de l’étape {n} sur {total}…',
  'predict.start': 'Prédire',
  'predict.startLabel': 'Mode prédiction : deviner chaque saut avant de le voir',
  'predict.stop': 'Quitter le mode prédiction',
}

export function menuText(lang: Lang, key: MenuKey, params?: Record<string, string | number>): string {
  return format({ en, fr }[lang][key], params)
}
