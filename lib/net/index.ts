export * from './ipv4'
export * from './ipv6'
