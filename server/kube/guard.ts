/** The live endpoints' guard is the server's one guard (server/http/guard.ts). */
export * from '@/server/http/guard'
