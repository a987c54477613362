import { clear, h } from '../dom.ts';
import type { ScreenFactory } from '../screen.ts';

/** Days of log before the curves say anything: the fitness time constant needs a few weeks to settle. */
const MIN_DAYS = 14;

/** Fitness, fatigue, form and acute:chronic ratio over the athlete's own log, computed on this device. */
export const trendsScreen: ScreenFactory = (app) => {
  const body = h('div', { id: 'trends-body', 'aria-live': 'polite' }, h('p', {}, 'Drawing your curves…'));
  let dispose: (() => void) | null = null;
  let alive = true;
  const render = async () => {
    const rows = app.vault.rows();
    const [{ loadTrends }, { trendCurves }] = await Promise.all([import('@huddle/shared/twin'), import('../trendCurves.ts')]);
    if (!alive) return;
    dispose?.();
    dispose = null;
    const trends = loadTrends(rows);
    if (trends.dates.length < MIN_DAYS) {
      clear(body, h('p', { id: 'trends-empty' }, `Log at least ${MIN_DAYS} days of training load to see your curves (${trends.dates.length} so far).`));
      return;
    }
    const curves = trendCurves(trends);
    dispose = curves.dispose;
    clear(
      body,
      h('p', {}, `From ${trends.dates.length} days of your log. Fitness is your load averaged over about ${trends.fitnessTau} days, fatigue over about ${trends.fatigueTau} days (the same response the planner uses); form is fitness minus fatigue: below zero you are carrying fatigue, above zero you are fresh. The acute:chronic ratio is your last 7 days’ load over your last 28 days’. Days without a logged load count as your usual load for that weekday.`),
      curves.el,
    );
  };
  const off = app.on((e) => {
    if (e.type === 'log') void render();
  });
  void render();
  return {
    el: h('section', { 'aria-labelledby': 'trends-title' }, h('h2', { id: 'trends-title', tabindex: '-1' }, 'Trends'), body),
    dispose: () => {
      alive = false;
      off();
      dispose?.();
    },
  };
};
