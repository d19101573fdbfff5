import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { rebuildDrill } from '../../src/apiserver/rebuild-drill.js';
import { readManifestsForValidation } from '../../src/validate/manifest-files.js';
import { testClusterPool } from '../support/api-server.js';

/** The platform's committed manifests: the render of its real upstream charts (test/platform/real-charts.test.ts keeps them current). */
const PLATFORM_MANIFESTS = fileURLToPath(new URL('../../manifests', import.meta.url));

const pool = testClusterPool();
afterAll(() => pool.close());

describe('the rebuild drill on the real platform', () => {
  it('brings production and staging up on empty API servers, every object accepted', async () => {
    const { environments } = await readManifestsForValidation(PLATFORM_MANIFESTS, []);
    expect(environments.map((environment) => environment.environment).sort()).toEqual(['production', 'staging']);
    pool.prestart();
    const drill = await rebuildDrill(pool, environments);
    expect(drill.refusals.map((refusal) => `${refusal.path}: ${refusal.message}`)).toEqual([]);
    // What it cannot exercise is named: the admission webhooks of cert-manager, ingress-nginx and
    // kube-prometheus-stack, and the CRDs whose versions a conversion webhook converts.
    const notExercised = new Set(drill.notExercised.map((item) => item.path.split('/')[1]));
    expect([...notExercised].sort()).toEqual(expect.arrayContaining(['cert-manager', 'ingress-nginx', 'kube-prometheus-stack', 'metallb']));
    // Two servers establishing 56 CRDs each share two cores with the other test worker.
  }, 600_000);
});
