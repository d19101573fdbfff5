import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebuildDrill, type ApiServerJudgement } from '../../src/apiserver/rebuild-drill.js';
import { formatResourceKey } from '../../src/model/resource-key.js';
import { environment, release } from '../diff/manifest-builder.js';
import { testClusterPool } from '../support/api-server.js';
import { hookRefusalCases, refusalCases, validObjects } from './refusal-fixtures.js';

const pool = testClusterPool();
afterAll(() => pool.close());

describe('the rebuild drill on a real kube-apiserver', () => {
  const cases = refusalCases();
  const hooks = hookRefusalCases();
  let drill: ApiServerJudgement;

  // One environment, so one server, for every case of this file.
  beforeAll(async () => {
    drill = await rebuildDrill(pool, [
      environment('production', [
        { release: release('web'), objects: validObjects() },
        { release: release('broken'), objects: cases.map((refusal) => refusal.object) },
        { release: release('hooks'), objects: [...hooks.refused.map((refusal) => refusal.object), hooks.skipped] },
      ]),
    ]);
  });

  it('refuses each of the 29 mistakes with its own message and accepts the valid objects', () => {
    const broken = drill.refusals.filter((refusal) => refusal.release === 'broken');
    const byName = new Map(broken.map((refusal) => [refusal.resource.name, refusal]));
    expect(drill.refusals.filter((refusal) => refusal.release === 'web').map((refusal) => refusal.message)).toEqual([]);
    const mismatches = cases.flatMap((refusal) => {
      const found = byName.get(refusal.name);
      if (!found) return [`${refusal.name}: accepted`];
      const matches = typeof refusal.message === 'string' ? found.message.includes(refusal.message) : refusal.message.test(found.message);
      return matches && found.path.startsWith('production/broken/') ? [] : [`${refusal.name}: ${found.message}`];
    });
    expect(mismatches).toEqual([]);
    expect(broken.map((refusal) => formatResourceKey(refusal.resource)).sort()).toHaveLength(29);
  });

  it('judges helm and Argo CD hooks as Argo CD runs them, and leaves a Skip hook unapplied', () => {
    const refused = drill.refusals
      .filter((refusal) => refusal.release === 'hooks')
      .map((refusal) => ({ name: refusal.resource.name, operation: refusal.operation, path: refusal.path, message: refusal.message }));
    expect(refused.sort((a, b) => (a.name < b.name ? -1 : 1))).toEqual(
      hooks.refused
        .map((refusal) => ({
          name: refusal.name,
          operation: 'apply',
          path: `production/hooks/job.batch_apps_${refusal.name}.yaml`,
          message: expect.stringContaining(refusal.message as string),
        }))
        .sort((a, b) => (a.name < b.name ? -1 : 1)),
    );
    expect(drill.notExercised).toEqual([]);
  });
});
