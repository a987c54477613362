import type { DailyLogRow } from '../log/types.ts';
import { dailyRisk, DEFAULT_RISK_MODEL, personalFrailty, type LoadRiskModel } from './risk.ts';
import type { TwinModel } from './evaluate.ts';
import { fitTwin } from './fit.ts';
import { twinHistory, twinState, type TwinHistory } from './history.ts';
import { DEFAULT_PRIOR, type PopulationPrior } from './prior.ts';
import type { TwinFit, TwinParams, TwinState } from './types.ts';

/** An athlete's twin: what the log says now, the fitted response and the risk response. */
export interface Twin {
  history: TwinHistory;
  state: TwinState;
  fit: TwinFit;
  riskModel: LoadRiskModel;
}

export interface TwinOptions {
  prior?: PopulationPrior;
  riskModel?: LoadRiskModel;
  draws?: number;
  seed?: number;
  /** Planned loads (date -> AU) of days the athlete accepted: they fill days whose load was not logged. */
  planned?: ReadonlyMap<string, number>;
  /** Dates an empty log: the plan then starts the day after. */
  today?: string;
}

/** Fits the twin to one athlete's own rows. Pure: runs the same on the device (worker) and in Node. */
export function buildTwin(rows: readonly DailyLogRow[], options: TwinOptions = {}): Twin {
  const history = twinHistory(rows, options.planned);
  const state = twinState(history, options.today ?? '2000-01-01');
  const riskModel = options.riskModel ?? DEFAULT_RISK_MODEL;
  const fit = fitTwin(history, state, { prior: options.prior ?? DEFAULT_PRIOR, draws: options.draws ?? 40, seed: options.seed ?? 1 });
  return { history, state, fit: { ...fit, frailty: personalFrailty(history, state, riskModel) }, riskModel };
}

/** The model the evaluator and recommender run: the posterior mean, or one draw with one frailty. */
export function twinModel(twin: Twin, params: TwinParams = twin.fit.params, frailty = twin.fit.frailty.mean): TwinModel {
  const model = twin.riskModel;
  return { state: twin.state, params, risk: (x) => dailyRisk(model, x, frailty) };
}
