import { afterAll, describe, expect, it } from 'vitest';
import { rebuildDrill } from '../../src/apiserver/rebuild-drill.js';
import { formatResourceKey } from '../../src/model/resource-key.js';
import { environment, release } from '../diff/manifest-builder.js';
import { testClusterPool } from '../support/api-server.js';
import { refusalCases, validObjects } from './refusal-fixtures.js';

const pool = testClusterPool();
afterAll(() => pool.close());

describe('the rebuild drill on a real kube-apiserver', () => {
  it('refuses each of the 29 mistakes with its own message and accepts the valid objects', async () => {
    const cases = refusalCases();
    const drill = await rebuildDrill(pool, [
      environment('production', [
        { release: release('web'), objects: validObjects() },
        { release: release('broken'), objects: cases.map((refusal) => refusal.object) },
      ]),
    ]);
    const byName = new Map(drill.refusals.map((refusal) => [refusal.resource.name, refusal]));
    expect(drill.refusals.filter((refusal) => refusal.release === 'web').map((refusal) => refusal.message)).toEqual([]);
    const mismatches = cases.flatMap((refusal) => {
      const found = byName.get(refusal.name);
      if (!found) return [`${refusal.name}: accepted`];
      const matches = typeof refusal.message === 'string' ? found.message.includes(refusal.message) : refusal.message.test(found.message);
      return matches && found.path.startsWith('production/broken/') ? [] : [`${refusal.name}: ${found.message}`];
    });
    expect(mismatches).toEqual([]);
    expect(drill.refusals.map((refusal) => formatResourceKey(refusal.resource)).sort()).toHaveLength(29);
  });
});
