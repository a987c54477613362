/**
 * Secure aggregation: Bonawitz et al. 2017 ("Practical Secure Aggregation for Privacy-Preserving Machine Learning")
 * over the sparse neighbour graph of Bell et al. 2020 (SecAgg+). The coordinator learns only the sum mod 2^32 of the
 * inputs of the clients that survive to Round 2, and only if at least t neighbours of every involved client survive.
 *
 *   client.advertiseKeys() -> server.acceptAdvertiseKeys()      Round 0  (U1)
 *   server.roster()        -> client.shareKeys(roster)          Round 1  -> server.acceptShareKeys()   (U2)
 *   server.relay()         -> client.maskInput(x, relay)        Round 2  -> server.acceptMaskedInput() (U3)
 *   server.unmaskRequest() -> client.unmask(request)            Round 3  -> server.acceptUnmaskResponse()
 *   server.finalize()      -> sum (Uint32Array) or SecAggAbort
 *
 * Threat model as implemented: privacy against an honest-but-curious server colluding with fewer than 2t - k of a
 * client's neighbours. Against an actively malicious server two things this layer does not provide are needed:
 * authenticated Round 0 keys (the coordinator's signatures, verified by clients against long-term identities), and
 * Bonawitz's ConsistencyCheck round (clients sign U3 and check t signatures) so the server cannot show different
 * survivor sets to different clients.
 */
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
