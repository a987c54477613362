export { SecAggClient, type SecAggClientOptions, type SecAggClientPhase, type SecAggClientPolicy } from './client.ts';
export { SecAggServer, type SecAggServerOptions, type SecAggServerPhase } from './server.ts';
export { SecAggAbort, SecAggError, type SecAggErrorCode } from './errors.ts';
export * from './messages.ts';
export {
  MAX_NEIGHBOURS,
  MAX_PARTICIPANTS,
  MAX_VECTOR_LENGTH,
  MIN_PARTICIPANTS,
  defaultThreshold,
  resolveParams,
  suggestedNeighbours,
  validateParams,
  type ParamsConfig,
  type SecAggParams,
} from './params.ts';
export { NeighbourGraph, type GraphMember } from './graph.ts';
export { compareIds, pairSign } from './ids.ts';
export { expandPrg, importPrgSeed, prg } from './prg.ts';
export { wordsFromLeBytes, wordsToLeBytes } from './field.ts';
export { detectX25519, tweetnaclX25519, webCryptoX25519, type X25519Backend, type X25519KeyPair } from './x25519.ts';
export { chooseScale, dequantizeSum, quantize, type ScaleOptions } from './quantize.ts';
