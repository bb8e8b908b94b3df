export { inferWalk, inferEgressWalk } from './walk'
export { buildFacts, type Facts, type HostFacts, type Source } from './facts'
export { detectDatapath } from './datapath'
export { flowIsReply } from './reply'
