/**
 * Secure aggregation: Bonawitz et al. 2017 ("Practical Secure Aggregation for Privacy-Preserving Machine Learning")
 * over the sparse neighbour graph of Bell et al. 2020 (SecAgg+). The coordinator learns only the sum mod 2^32 of the
 * inputs of the clients that survive to Round 2, and only if at least t neighbours of every involved client survive.
 *
 *   client.advertiseKeys() -> server.acceptAdvertiseKeys()      Round 0  (U1)
 *   server.roster()        -> client.shareKeys(roster)          Round 1  -> server.acceptShareKeys()   (U2)
 *   server.relay()         -> client.maskInput(x, relay)        Round 2  -> server.acceptMaskedInput() (U3)
 *   server.unmaskRequest() -> client.checkSurvivors(request)    Round 3  -> server.acceptSurvivorSignature()  (U4)
 *   server.consistencyProof() -> client.unmask(proof)           Round 4  -> server.acceptUnmaskResponse()
 *   server.finalize()      -> sum (Uint32Array) or SecAggAbort
 *
 * Threat model: the malicious-server variant (Bonawitz et al. §6.2). Each peer signs its Round 0 keys with its
 * enrollment key (identity.ts) and, in Round 3, the survivor set it was shown; a client reveals no share unless the
 * survivor set carries valid signatures from t of its neighbours. Privacy of one client against a server that
 * deviates and holds c of that client's k neighbours needs 2t > k + c. Peers are only as real as the enrollment keys
 * the server reports: a policy naming an auditor (a countersigning key the server's operator does not hold) makes
 * the client count uncountersigned peers as the server's (roster.ts). Shares are committed per holder
 * (commitment.ts), so a client revealing bad shares is identified and left out (`SecAggServer.cheaters`).
 */
export { SecAggClient, type SecAggClientOptions, type SecAggClientPhase, type SecAggClientPolicy } from './client.ts';
export { SecAggServer, type PeerIdentity, type SecAggServerOptions, type SecAggServerPhase } from './server.ts';
export { checkRosterPolicy, type RosterPolicy } from './roster.ts';
export {
  SIGNATURE_BYTES,
  SIGNING_PUBLIC_KEY_BYTES,
  advertisementBytes,
  countersignEnrollment,
  enrollmentStatementBytes,
  signingPublicKey,
  survivorSetBytes,
  verifyCountersignature,
  verifySignature,
} from './identity.ts';
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
export { fromHex, toHex } from './bytes.ts';
export { detectX25519, tweetnaclX25519, webCryptoX25519, type X25519Backend, type X25519KeyPair } from './x25519.ts';
export { chooseScale, dequantizeSum, quantize, type ScaleOptions } from './quantize.ts';
export { StrikeLedger } from './strikes.ts';
