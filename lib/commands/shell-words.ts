/**
 * Splits a recorded command line into pipelines and words the way a shell would read it, without
 * running anything: quotes and backslashes are honoured, `|` separates the stages of a pipeline,
 * `;` `&&` `||` `&` and newlines separate pipelines, `# …` is a comment. A trailing `(…)` after the
 * words is an author's annotation (`iptables-save (excerpt, 2018)`), not shell syntax we need.
 *
 *   "ip a | grep -A1 'f6:93'"  →  [[{ words: ['ip', 'a'], text: 'ip a' }, { words: ['grep', '-A1', 'f6:93'], text: "grep -A1 'f6:93'" }]]
 */

export interface Stage {
  words: string[]
  /** the stage as printed, trimmed */
  text: string
}

export type Pipeline = Stage[]

export function shellPipelines(line: string): Pipeline[] {
  const pipelines: Pipeline[] = []
  let stages: Stage[] = []
  let words: string[] = []
  let word = ''
  let inWord = false
  let stageStart = 0
  const n = line.length

  const endWord = () => {
    if (inWord) words.push(word)
    word = ''
    inWord = false
  }
  const endStage = (at: number) => {
    endWord()
    const text = line.slice(stageStart, at).trim()
    if (words.length > 0) stages.push({ words, text })
    words = []
  }
  const endPipeline = () => {
    if (stages.length > 0) pipelines.push(stages)
    stages = []
  }

  let i = 0
  while (i < n) {
    const ch = line[i] as string
    if (ch === "'") {
      const close = line.indexOf("'", i + 1)
      const end = close === -1 ? n : close
      word += line.slice(i + 1, end)
      inWord = true
      i = end + 1
      continue
    }
    if (ch === '"') {
      i++
      inWord = true
      while (i < n && line[i] !== '"') {
        if (line[i] === '\\' && i + 1 < n && '"\\$`'.includes(line[i + 1] as string)) i++
        word += line[i]
        i++
      }
      i++
      continue
    }
    if (ch === '\\' && i + 1 < n) {
      if (line[i + 1] !== '\n') {
        word += line[i + 1]
        inWord = true
      }
      i += 2
      continue
    }
    if (ch === ' ' || ch === '\t') {
      endWord()
      i++
      continue
    }
    if (ch === '#' && !inWord) {
      // a comment runs to the end of the line
      const nl = line.indexOf('\n', i)
      endStage(i)
      i = nl === -1 ? n : nl
      continue
    }
    if (ch === '(' && !inWord && words.length > 0) {
      // annotation after the words: skip to the matching parenthesis
      let depth = 0
      let j = i
      for (; j < n; j++) {
        if (line[j] === '(') depth++
        else if (line[j] === ')' && --depth === 0) break
      }
      endStage(i)
      stageStart = j + 1
      i = j + 1
      continue
    }
    if (ch === '|' || ch === ';' || ch === '&' || ch === '\n') {
      const two = line.slice(i, i + 2)
      const isPipe = ch === '|' && two !== '||'
      if (ch === '&' && two !== '&&' && (line[i + 1] === '>' || line[i - 1] === '>')) {
        // `&>file` and `2>&1` redirections: not a separator
        word += ch
        inWord = true
        i++
        continue
      }
      endStage(i)
      if (!isPipe) endPipeline()
      i += two === '||' || two === '&&' ? 2 : 1
      stageStart = i
      continue
    }
    word += ch
    inWord = true
    i++
  }
  endStage(n)
  endPipeline()
  return pipelines
}

/** `/usr/sbin/ip` → `ip`. */
export function basename(word: string): string {
  const slash = word.lastIndexOf('/')
  return slash === -1 ? word : word.slice(slash + 1)
}
