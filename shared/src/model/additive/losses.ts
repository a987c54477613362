import type { ModelSettings } from '../settings.ts';

/** Hessians below this are floored so a Newton step on a confidently-predicted bin stays finite. */
const MIN_HESSIAN = 1e-6;

/**
 * Gradient and hessian of the loss at raw score f for label y (readiness: f and y in points, on the model's target;
 * injury: f is the logit). The absolute and Huber losses use a unit hessian: the Newton step is then the mean
 * (clipped or signed) residual of a bin, as in gradient boosting with those losses.
 */
export function gradHess(loss: ModelSettings['loss'], huberDelta: number, f: number, y: number): [number, number] {
  switch (loss) {
    case 'squared':
      return [f - y, 1];
    case 'huber': {
      const r = f - y;
      return [r > huberDelta ? huberDelta : r < -huberDelta ? -huberDelta : r, 1];
    }
    case 'absolute': {
      const r = f - y;
      return [r > 0 ? 1 : r < 0 ? -1 : 0, 1];
    }
    case 'logistic': {
      const p = 1 / (1 + Math.exp(-f));
      return [p - y, Math.max(MIN_HESSIAN, p * (1 - p))];
    }
  }
}

/** The loss itself (for the reported training loss). */
export function lossValue(loss: ModelSettings['loss'], huberDelta: number, f: number, y: number): number {
  const r = f - y;
  switch (loss) {
    case 'squared':
      return r * r;
    case 'huber':
      return Math.abs(r) <= huberDelta ? 0.5 * r * r : huberDelta * (Math.abs(r) - 0.5 * huberDelta);
    case 'absolute':
      return Math.abs(r);
    case 'logistic': {
      // log(1 + e^f) - y f, computed without overflow.
      return (f > 0 ? f + Math.log1p(Math.exp(-f)) : Math.log1p(Math.exp(f))) - y * f;
    }
  }
}
