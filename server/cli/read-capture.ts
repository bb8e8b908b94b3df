/**
 * Reads a capture file for the CLI, bounded and defensive: a file too large, not a file, binary,
 * not UTF-8 or not a valid capture becomes one clear message — never a stack trace, and within
 * seconds even for a 100 MB truncated file.
 */
import fs from 'node:fs/promises'
import { parseCaptureText, type CaptureValidation } from '@/lib/formats/capture-schema'

export const MAX_CAPTURE_BYTES = 512 * 1024 * 1024

export async function readCaptureFile(file: string): Promise<CaptureValidation> {
  let stat
  try {
    stat = await fs.stat(file)
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    return { ok: false, error: code === 'ENOENT' ? `${file}: no such file` : `${file}: cannot read (${code ?? String(e)})` }
  }
  if (!stat.isFile()) return { ok: false, error: `${file}: not a regular file` }
  if (stat.size > MAX_CAPTURE_BYTES) {
    return { ok: false, error: `${file}: ${Math.round(stat.size / 1048576)} MB is more than the 512 MB a capture may hold` }
  }
  let buf: Buffer
  try {
    buf = await fs.readFile(file)
  } catch (e) {
    return { ok: false, error: `${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})` }
  }
  if (buf.length === 0) return { ok: false, error: `invalid capture: ${file} is empty` }
  if (buf.indexOf(0) !== -1) return { ok: false, error: `invalid capture: ${file} is binary, not JSON` }
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(buf)
  } catch {
    return { ok: false, error: `invalid capture: ${file} is not UTF-8 text` }
  }
  const r = parseCaptureText(text)
  return r.ok ? r : { ok: false, error: r.error.replace(/^invalid capture: /, `invalid capture ${file}: `) }
}
