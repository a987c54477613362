// @ts-check

/**
 * What the task trains, in words: the class and layout are fixed once a task exists (the coordinator refuses a change),
 * so they are shown, not edited.
 * @param {any} config
 */
export function modelSummary(config) {
  const m = config.model;
  if (!m) return 'Model: the dense network (a task created before the choice of model).';
  const rate = `learning rate ${m.learningRate}, L2 ${m.l2}`;
  const traits = [`${m.loss} loss`, `${m.target === 'change' ? 'change from today' : 'level'} target`];
  if (m.monotone) traits.push('monotone where physiology is known');
  let what;
  if (m.kind === 'trees') {
    const perLevel = m.treeLevelRounds ?? 1;
    what = `boosted trees: ${m.treeCount ?? 64} of depth ${m.treeDepth ?? 3}${perLevel > 1 ? `, ${perLevel} rounds a level` : ''}`;
  } else if (m.kind === 'additive') {
    what = 'boosted additive model';
    if (m.step === 'median' && m.loss === 'absolute') traits.push('median step');
    if (m.meanForecast) traits.push('mean forecast beside the median');
    if (m.pairTerms) traits.push('pair term');
  } else what = 'dense network';
  return `Model: ${what}; ${traits.join(', ')}; ${rate}. The model class and its layout are fixed once the task exists.`;
}
