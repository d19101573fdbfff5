import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { rebuildDrill } from '../../src/apiserver/rebuild-drill.js';
import { readManifestsForValidation } from '../../src/validate/manifest-files.js';
import { testClusterPool } from '../support/api-server.js';
import { environmentCluster } from '../../src/cluster/node-declaration.js';
import { Rehearsal } from '../../src/rehearsal/rehearsal.js';
import { readRepositoryPins } from '../../src/tools/repository-pins-file.js';

/** The platform's committed manifests: the render of its real upstream charts (test/platform/real-charts.test.ts keeps them current). */
const PLATFORM_MANIFESTS = fileURLToPath(new URL('../../manifests', import.meta.url));
/** The repository's root, where .helmfile-hydrate.yaml declares each environment's nodes. */
const PLATFORM_ROOT = fileURLToPath(new URL('../..', import.meta.url));

const pool = testClusterPool('scheduling');
afterAll(() => pool.close());

describe('the rebuild drill on the real platform', () => {
  it('brings production and staging up on empty clusters of their declared nodes: every object accepted, every pod running', async () => {
    const { environments } = await readManifestsForValidation(PLATFORM_MANIFESTS, []);
    expect(environments.map((environment) => environment.environment).sort()).toEqual(['production', 'staging']);
    pool.prestart();
    const declared = (await readRepositoryPins(PLATFORM_ROOT))?.environments ?? new Map();
    const rehearsal = new Rehearsal((environment) => environmentCluster(declared, environment));
    const drill = await rebuildDrill(pool, environments, { stages: [rehearsal] });
    expect(drill.refusals.map((refusal) => `${refusal.path}: ${refusal.message}`)).toEqual([]);
    // Both environments roll out whole on their declared nodes: every pod scheduled, started, nothing blocked.
    expect(rehearsal.coverage().summary).toMatch(/production: \d+ pods of \d+ workloads scheduled on 3 declared nodes;/);
    expect(rehearsal.coverage().summary).toMatch(/staging: \d+ pods of \d+ workloads scheduled on 1 declared node$/);
    // Losing any one node of production leaves every workload running but Argo CD's redis-ha: three
    // replicas that must not share a node keep two (medium); nothing is left without a replica.
    const risks = rehearsal
      .risks()
      .map((risk) => `${risk.rule} ${risk.severity} ${risk.environment}/${risk.release} ${risk.resource.kind}/${risk.resource.name}`);
    expect([...new Set(risks)].sort()).toEqual([
      'node-loss medium production/argo-cd Deployment/argo-cd-redis-ha-haproxy',
      'node-loss medium production/argo-cd StatefulSet/argo-cd-redis-ha-server',
    ]);
    // What it cannot exercise is named: the admission webhooks of cert-manager, ingress-nginx and
    // kube-prometheus-stack, and the CRDs whose versions a conversion webhook converts.
    const notExercised = new Set(drill.notExercised.map((item) => item.path.split('/')[1]));
    expect([...notExercised].sort()).toEqual(expect.arrayContaining(['cert-manager', 'ingress-nginx', 'kube-prometheus-stack', 'metallb']));
    // Two servers establishing 56 CRDs each share two cores with the other test worker.
  }, 600_000);
});
