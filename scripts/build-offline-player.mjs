#!/usr/bin/env node
// Builds the offline player (postbuild of `npm run build`): one HTML page with the app's CSS (from
// the Next build) and a standalone bundle of the player (esbuild) inlined, and an empty walk slot
// that the walk page's "Offline walk" export fills. Written to public/offline/player.html.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const outFile = path.join(root, 'public', 'offline', 'player.html')
const SLOT = '<script id="pw-walk" type="application/json">null</script>'

function cssFiles(dir) {
  if (!fs.existsSync(dir)) return []
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name)
    return e.isDirectory() ? cssFiles(p) : e.name.endsWith('.css') ? [p] : []
  })
}

const css = cssFiles(path.join(root, '.next', 'static'))
  .sort()
  .map((f) => fs.readFileSync(f, 'utf8'))
  .join('\n')
if (!css) {
  console.error('build-offline-player: no CSS under .next/static; run `next build` first')
  process.exit(1)
}
if (/url\((?!["']?data:)/.test(css)) console.warn('build-offline-player: the CSS references files; they will not load offline')

const js = await build({
  entryPoints: [path.join(root, 'components', 'offline', 'offline-entry.tsx')],
  bundle: true,
  write: false,
  minify: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2020',
  jsx: 'automatic',
  legalComments: 'none',
  tsconfig: path.join(root, 'tsconfig.json'),
  define: { 'process.env.NODE_ENV': '"production"' },
  // 'use client' directives mean nothing outside Next; esbuild only warns about them.
  logLevel: 'error',
})
const code = js.outputFiles[0].text.replace(/<\/script/gi, '<\\/script')

// The file opens from disk: the policy forbids any request (no fonts, no fetch, no beacon).
const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob:">
<title>packetwalk</title>
<style>${css.replace(/<\/style/gi, '<\\/style')}</style>
</head>
<body>
<div id="root"></div>
${SLOT}
<script>${code}</script>
</body>
</html>
`
fs.mkdirSync(path.dirname(outFile), { recursive: true })
fs.writeFileSync(outFile, html)
console.log(`offline player: ${path.relative(root, outFile)} ${(Buffer.byteLength(html) / 1024).toFixed(0)} KB (JS ${(code.length / 1024).toFixed(0)} KB, CSS ${(css.length / 1024).toFixed(0)} KB)`)
