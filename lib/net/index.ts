export * from './ipv4'
