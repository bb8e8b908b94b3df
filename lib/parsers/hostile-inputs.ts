/**
 * Inputs no command prints but a capture file can hold (a truncated upload, a binary pasted by
 * mistake, a runaway line): every parser must return records/diagnostics for them, never throw.
 * Generated, deterministic; used by the parser tests only.
 */
function pseudoRandomText(length: number, seed: number): string {
  let x = seed
  let out = ''
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff
    out += String.fromCharCode(x % 256)
  }
  return out
}

export const HOSTILE_INPUTS: { name: string; text: string }[] = [
  { name: 'empty', text: '' },
  { name: 'newlines only', text: '\n\n\r\n\n' },
  { name: 'binary bytes', text: pseudoRandomText(20_000, 7) },
  { name: 'NUL bytes', text: '\0\0\0\n\0filter\0\n' },
  { name: 'one 2 MB line', text: 'A'.repeat(2_000_000) },
  { name: 'one 1 MB line of words', text: 'x= [ -> ( : '.repeat(100_000) },
  { name: 'unbalanced brackets and quotes', text: '[\n]\n"\n-A "\n(((((\n-> \n<- \nxx drop ((((\nChain\n:\n*\n=\n' },
  { name: 'keywords without values', text: 'filter pref\nfilter handle\nTCP OUT\nTCP OUT a -> \n-A\n-A X -s\n-A X -j\n-A X -m\nipv4 2 tcp 6\nsrc=\n' },
  { name: 'CRLF line ends', text: 'filter protocol all pref 1 bpf chain 0\r\nTCP OUT 1.1.1.1:1 -> 2.2.2.2:2 expires=1\r\n' },
  { name: 'unicode', text: '日本語 → ✓ 💥\n\u202e\u200b\n' },
]
