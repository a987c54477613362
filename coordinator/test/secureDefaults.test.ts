import { describe, expect, it } from 'vitest';
import { securityWarnings } from '../src/ops/secureDefaults.ts';
import { buildTaskConfigs, type TaskConfigInput } from '../src/ops/taskConfigs.ts';
import { call, startAuthApp } from './helpers/authApp.ts';

const flags = (over: Partial<TaskConfigInput> = {}): TaskConfigInput => ({
  tasks: ['injury', 'readiness'],
  clientsPerRound: 5,
  minClients: 3,
  roundTimeoutMs: 60_000,
  overrides: {},
  security: 'enrolled',
  insecureNoSecagg: false,
  dp: true,
  ...over,
});

function configs(over: Partial<TaskConfigInput> = {}) {
  const built = buildTaskConfigs(flags(over));
  if (!built.ok) throw new Error(built.error);
  return built.configs;
}

function refusal(over: Partial<TaskConfigInput>): string {
  const built = buildTaskConfigs(flags(over));
  if (built.ok) throw new Error('expected a refusal');
  return built.error;
}

describe('secure defaults in enrolled mode', () => {
  it('runs secure aggregation with distributed DP under an epsilon budget, with no warning', () => {
    for (const c of configs()) {
      expect(c.secureAggregation.enabled).toBe(true);
      expect(c.privacy).toMatchObject({ noise: 'distributed', noiseMultiplier: 1, epsilonBudget: 8, delta: 1e-5 });
      expect(securityWarnings(c, 'enrolled')).toEqual([]);
    }
  });

  it('turns each off only by its own flag, and then warns', () => {
    const [plain] = configs({ insecureNoSecagg: true, tasks: ['injury'] });
    expect(plain!.secureAggregation.enabled).toBe(false);
    expect(plain!.privacy.noise).toBe('central');
    expect(securityWarnings(plain!, 'enrolled').join('\n')).toMatch(/secure aggregation is off/);
    const [noDp] = configs({ dp: false, tasks: ['injury'] });
    expect(noDp!.secureAggregation.enabled).toBe(true);
    expect(noDp!.privacy).toMatchObject({ noise: 'none', noiseMultiplier: 0, epsilonBudget: null });
    expect(securityWarnings(noDp!, 'enrolled')).toEqual(['differential privacy is off: released models and statistics carry no privacy guarantee']);
    const [noBudget] = configs({ epsilonBudget: null, noiseMultiplier: 1.5, tasks: ['injury'] });
    expect(noBudget!.privacy).toMatchObject({ noise: 'distributed', noiseMultiplier: 1.5, epsilonBudget: null });
    expect(securityWarnings(noBudget!, 'enrolled')).toEqual(['no epsilon budget: training goes on however much privacy it spends']);
  });

  it('refuses a --task-config that weakens privacy without the flag, and merges partial settings deeply', () => {
    expect(refusal({ overrides: { injury: { secureAggregation: { enabled: false }, privacy: { noise: 'central' } } } })).toBe('--task-config turns secure aggregation off for injury; confirm with --insecure-no-secagg');
    expect(refusal({ overrides: { readiness: { privacy: { noise: 'none', noiseMultiplier: 0 } } } })).toBe('--task-config turns differential privacy off for readiness; confirm with --no-dp');
    expect(refusal({ overrides: { injury: { privacy: { epsilonBudgett: 3 } } } })).toBe('invalid settings for injury: unknown setting "privacy.epsilonBudgett"');
    expect(refusal({ minClients: 2, clientsPerRound: 2 })).toMatch(/needs --min-clients >= 3/);
    const [injury] = configs({ tasks: ['injury'], overrides: { injury: { privacy: { delta: 1e-6 }, fit: { localEpochs: 3 } } } });
    expect(injury!.privacy).toMatchObject({ noise: 'distributed', delta: 1e-6, epsilonBudget: 8 });
    expect(injury!.fit.localEpochs).toBe(3);
    expect(injury!.fit.batchSize).toBe(32);
  });

  it('open mode keeps the tasks\' own defaults, says so, and refuses the enrolled-mode flags', () => {
    const [open] = configs({ security: 'open', tasks: ['injury'] });
    expect(open!.secureAggregation.enabled).toBe(false);
    expect(open!.privacy.noise).toBe('none');
    expect(securityWarnings(open!, 'open')[0]).toMatch(/^open mode: any client id may join/);
    expect(refusal({ security: 'open', dp: false })).toMatch(/apply to enrolled mode/);
  });

  it('GET /api/tasks and /health carry the warnings of a weakened configuration', async () => {
    // The test app runs the plain task defaults: no secure aggregation, no DP.
    const app = await startAuthApp();
    try {
      const tasks = await call(app.url, 'GET', '/api/tasks', { token: app.analystToken });
      expect(tasks.status).toBe(200);
      for (const t of tasks.json) expect(t.warnings).toEqual(securityWarnings(t.config, 'enrolled'));
      expect(tasks.json[0].warnings.join('\n')).toMatch(/secure aggregation is off[\s\S]*differential privacy is off/);
      const health = await call(app.url, 'GET', '/health');
      expect(health.json.warnings).toContain('injury: secure aggregation is off: the coordinator sees each athlete\'s model update');
      // The same, structured, for the athlete app's consent screen.
      expect(health.json.privacy).toContainEqual({ task: 'injury', secureAggregation: false, dp: 'none' });
    } finally {
      await app.close();
    }
  });
});
