import { afterEach, describe, expect, it } from 'vitest';
import { defaultModelSettings, taskModel } from '@huddle/shared/protocol';
import { treeProgress, treeShape } from '@huddle/shared/model';
import { startTestFederation, type TestFederation } from '../helpers/federation.ts';

describe('a trees task whose every tree is built', () => {
  let fed: TestFederation | null = null;
  afterEach(async () => {
    await fed?.close();
    fed = null;
  });

  it('grows one level a round over socket.io, then opens no more rounds and says why', async () => {
    const model = { ...defaultModelSettings('readiness', 'trees'), treeDepth: 2, treeCount: 1 };
    fed = await startTestFederation({ clients: 4, tasks: ['readiness'], config: { clientsPerRound: 4, minClients: 3, overSelection: 1, model } });
    const coordinator = fed.running.coordinator;
    const settings = taskModel(coordinator.taskState('readiness').config);
    for (let level = 0; level < 2; level++) {
      expect(coordinator.taskState('readiness').complete).toBe(false);
      const record = await coordinator.runRound('readiness');
      expect(record.status).toBe('completed');
      expect(record.reported).toHaveLength(4);
    }
    const built = Float32Array.from(coordinator.taskState('readiness').weights);
    expect(treeProgress(treeShape(settings), built)).toMatchObject({ tree: 1 });
    expect(built[2]).toBeGreaterThan(0); // the root split on some feature
    expect(coordinator.taskState('readiness').complete).toBe(true);
    const refused = await coordinator.runRound('readiness');
    expect(refused.status).toBe('abandoned');
    expect(refused.reason).toMatch(/^model complete: every tree is built/);
    expect(refused.selected).toEqual([]);
    expect(Array.from(coordinator.taskState('readiness').weights)).toEqual(Array.from(built));
    expect(coordinator.taskState('readiness').round).toBe(2);
  });
});
