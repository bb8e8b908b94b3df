export { checkArgv, parseTemplate, templatesFromPlan, PLAN_TEMPLATES, PLACEHOLDERS } from '@/server/security/allowlist'
export type { ArgvCheck, ArgvTemplate, PlaceholderKind, TemplateToken } from '@/server/security/allowlist'
export { isDeviceName, isDns1123Label, isDns1123Subdomain, isIpAddress, isNetnsName, isPodRef, isPort } from '@/server/security/names'
