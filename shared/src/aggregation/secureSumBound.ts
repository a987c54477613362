import type { SecureFit } from '../protocol/messages.ts';
import type { DecodedSecureSum } from './secureVector.ts';

/** Standard deviations of slack on the summed noise's norm: a false refusal has probability below e^-50. */
const NOISE_TAIL = 10;

/**
 * Whether a decoded secure sum could have come from `survivors` honest clients: the update part within the clip
 * bound times the summed weights, plus stochastic rounding (under 1/scale per coordinate and client), plus, under
 * distributed DP, the summed discrete Gaussian's norm (sigma (sqrt(d) + 10) for sigma = sqrt(survivors) x
 * per-client sigma / scale; chi tail bound). The weight and clip-bit coordinates must lie in their ranges. Returns
 * the problem in words, or null. One client can still shift the sum anywhere inside these bounds (docs/privacy.md §6).
 */
export function secureSumProblem(decoded: DecodedSecureSum, enc: SecureFit, survivors: number, clip: number): string | null {
  const d = decoded.sum.length;
  if (enc.exampleWeightCap > 0 && !(decoded.weight >= 0 && decoded.weight <= survivors * enc.exampleWeightCap)) {
    return `summed weight ${decoded.weight} is outside [0, ${survivors * enc.exampleWeightCap}] for ${survivors} clients`;
  }
  const bitSlack = NOISE_TAIL * decoded.clipBitNoiseStd;
  if (!(decoded.clipBits >= -bitSlack && decoded.clipBits <= survivors + bitSlack)) {
    return `clip-bit count ${decoded.clipBits} is outside [${-bitSlack}, ${survivors + bitSlack}]`;
  }
  let squares = 0;
  for (let i = 0; i < d; i++) squares += decoded.sum[i]! * decoded.sum[i]!;
  const norm = Math.sqrt(squares);
  const clipPart = (enc.exampleWeightCap > 0 ? decoded.weight : survivors) * clip;
  const rounding = (survivors * Math.sqrt(d)) / enc.scale;
  const noise = enc.noiseSigma > 0 ? ((Math.sqrt(survivors) * enc.noiseSigma) / enc.scale) * (Math.sqrt(d) + NOISE_TAIL) : 0;
  const bound = clipPart + rounding + noise;
  if (!(norm <= bound)) return `the sum's norm ${norm.toPrecision(6)} exceeds what ${survivors} clipped updates can reach (${bound.toPrecision(6)}: clip ${clipPart.toPrecision(4)} + rounding ${rounding.toPrecision(3)} + noise ${noise.toPrecision(4)})`;
  return null;
}
