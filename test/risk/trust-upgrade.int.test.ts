import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Risk } from '../../src/risk/types.js';
import { risksOfCommits } from './risks-of-commits.js';
import { GitopsRepo, type FixtureRelease, type FixtureRepoSpec } from '../support/gitops-repo.js';
import { testToolchain } from '../support/toolchain.js';

type Toolchain = Awaited<ReturnType<typeof testToolchain>>;

/**
 * The trust rules on a real render (helmfile template on two commits): the fixture chart
 * edge-agent 1.0.0 -> 2.0.0 widens what the cluster trusts once per rule, and narrows it where a
 * rule must stay quiet (a capability dropped, a verb removed, an Ignore webhook on its own custom
 * resources, a new NetworkPolicy).
 */
describe('trust risks of a real chart upgrade', () => {
  let toolchain: Toolchain;
  let repo: GitopsRepo;
  let risks: Risk[];
  const edge: FixtureRelease = { name: 'edge', namespace: 'edge-system', chart: 'edge-agent', version: '1.0.0' };
  const spec = (releases: FixtureRelease[]): FixtureRepoSpec => ({
    repositoryUrl: inject('chartRepositoryUrl'),
    environments: ['production'],
    releases,
  });

  beforeAll(async () => {
    toolchain = await testToolchain();
    repo = await GitopsRepo.create(spec([edge]));
    const base = await repo.git('rev-parse', 'HEAD');
    await repo.writeSpec(spec([{ ...edge, version: '2.0.0' }]));
    const head = await repo.commit('chore(deps): update edge-agent to 2.0.0');
    risks = await risksOfCommits(repo, base, head, toolchain);
  });
  afterAll(async () => {
    await repo?.remove();
    await toolchain?.remove();
  });

  it('finds exactly one risk per trust rule, and none for the narrowing changes', () => {
    expect(risks.map((r) => `${r.severity} ${r.rule} ${r.resource.kind}/${r.resource.name} ${r.field ?? ''}`)).toEqual([
      'high admission-webhook ValidatingWebhookConfiguration/edge-pods webhooks[pods.edge.example.com]',
      'high node-agent-rollout DaemonSet/edge-speaker spec.template',
      'high pod-security Deployment/edge-dashboard spec.template.spec',
      'medium pod-security Namespace/edge-legacy metadata.labels.pod-security.kubernetes.io/enforce',
      'medium exposure Service/edge-api spec.type',
      'medium privilege-added CronJob/edge-backup volume dumps hostPath.path',
      'medium rbac-widened ClusterRole/edge:controller rules[0]',
    ]);
  });

  it('says what changed, old -> new, and what to do', () => {
    const byRule = (rule: Risk['rule']) => risks.find((risk) => risk.rule === rule)!;
    expect(byRule('privilege-added')).toMatchObject({ change: { from: '(unset)', to: '/var/backups' } });
    expect(byRule('rbac-widened')).toMatchObject({ change: { from: 'not granted', to: 'list configmaps' } });
    expect(byRule('admission-webhook').change!.to).toBe('Fail on CREATE pods, UPDATE pods');
    expect(byRule('admission-webhook').fix).toContain('namespaceSelector');
    expect(byRule('exposure')).toMatchObject({ change: { from: 'ClusterIP', to: 'LoadBalancer' } });
    expect(byRule('pod-security').message).toMatch(/edge-secure enforces the Pod Security Standard "restricted"[\s\S]*runAsNonRoot/);
    for (const risk of risks) expect(risk.fix.length, risk.rule).toBeGreaterThan(20);
  });
});
