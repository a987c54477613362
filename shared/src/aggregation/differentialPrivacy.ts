import { gaussianNoise, type RandomSource } from '../privacy/index.ts';
import { uniformMean } from './fedavg.ts';
import { meanUpdate, type Strategy } from './strategy.ts';

export interface ClientSideClippingDpOptions {
  /** central: the coordinator adds Gaussian noise to the mean; distributed: clients added discrete shares inside the secure sum. */
  noise: 'central' | 'distributed';
  /** Noise multiplier z on the update sum this round (after any share spent on adaptive clipping). */
  noiseMultiplier: number;
  /** L2 bound every client clipped its update to (the coordinator refuses larger plain updates). */
  clip: number;
  random: RandomSource;
  /** Distributed: the fewest survivors the devices' shares were sized to carry the full noise (more survivors add more). */
  noiseSurvivors?: number;
}

/**
 * DP-FedAvg with client-side fixed clipping (McMahan et al. 2018), as a wrapper around any strategy
 * like Flower's DifferentialPrivacyClientSideFixedClipping: every client weighs the same, so one
 * client moves the sum by at most `clip`; central mode adds N(0, (z * clip)^2) to the sum (so
 * z * clip / n to the mean); the inner strategy's optimizer then applies the noised mean.
 */
export function withClientSideClippingDp(inner: Strategy, o: ClientSideClippingDpOptions): Strategy {
  // A robust aggregator (median...) is replaced by the uniform mean here: only a sum of clipped updates has the clip as its sensitivity.
  return {
    name: `dp(${inner.name})`,
    configureFit: (round, base) => inner.configureFit(round, base),
    aggregator: inner.aggregator,
    optimizer: inner.optimizer,
    reduceFit: (outcomes) => ({ sum: uniformMean(outcomes), weight: 1 }),
    aggregateFit(global, fit) {
      let mean = meanUpdate(fit);
      // Central: N(0, (z * clip)^2) on the sum, added here. Distributed: the devices' shares, sized so that
      // `noiseSurvivors` of them carry z * clip; every further survivor adds its share too.
      const survivors = o.noise === 'distributed' && o.noiseSurvivors ? Math.max(1, fit.stats.reporters / o.noiseSurvivors) : 1;
      const sd = (o.noiseMultiplier * o.clip * Math.sqrt(survivors)) / fit.stats.reporters;
      if (o.noise === 'central') {
        const noise = gaussianNoise(mean.length, sd, o.random);
        mean = mean.map((v, i) => v + noise[i]!);
      }
      return inner.aggregateFit(global, { sum: mean, weight: 1, stats: { ...fit.stats, meanNoiseStd: sd } });
    },
  };
}
