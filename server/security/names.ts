/**
 * Validators for the few values that may enter an argument vector from outside the code: device
 * names read from a command's output, network namespace / pod / namespace names given by the user,
 * addresses and ports. Each one is a strict whitelist, so a value that passes cannot carry shell
 * syntax, whitespace, control characters or option-looking text (`-x`).
 */
import { isIPv4, isIPv6 } from '@/lib/parsers/common'

/** Linux interface names: at most 15 bytes (IFNAMSIZ - 1). `@` and `:` appear in aliases and ip's `eth0@if25`. */
const DEVICE_RE = /^[A-Za-z0-9_.@:-]{1,15}$/

/** `lxcf4cd39e34601`, `eth0`, `cilium_host`; refuses `lxc$(reboot)`, `-all`, `.`, `..`. */
export function isDeviceName(s: string): boolean {
  return DEVICE_RE.test(s) && !s.startsWith('-') && s !== '.' && s !== '..'
}

const DNS1123_LABEL_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/

/** RFC 1123 label, as Kubernetes requires for namespace names: `kube-system`. */
export function isDns1123Label(s: string): boolean {
  return s.length >= 1 && s.length <= 63 && DNS1123_LABEL_RE.test(s)
}

/** RFC 1123 subdomain, as Kubernetes requires for pod names: `cilium-r7ffp`, `web.v2-0`. */
export function isDns1123Subdomain(s: string): boolean {
  return s.length >= 1 && s.length <= 253 && s.split('.').every(isDns1123Label)
}

/** A network namespace name: a DNS-1123 label (`pw-node`), which also keeps it a valid file name under /run/netns. */
export function isNetnsName(s: string): boolean {
  return isDns1123Label(s)
}

/** `ns/name` of a pod, both parts checked. */
export function isPodRef(s: string): boolean {
  const slash = s.indexOf('/')
  if (slash <= 0) return false
  return isDns1123Label(s.slice(0, slash)) && isDns1123Subdomain(s.slice(slash + 1))
}

export function isIpAddress(s: string): boolean {
  return isIPv4(s) || isIPv6(s)
}

/** 1–65535, decimal, no sign or leading zero. */
export function isPort(s: string): boolean {
  return /^[1-9]\d{0,4}$/.test(s) && Number(s) <= 65535
}
