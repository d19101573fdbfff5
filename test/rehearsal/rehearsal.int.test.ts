import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { diffCommand } from '../../src/cli/diff-command.js';
import { GitopsRepo, type FixtureRepoSpec } from '../support/gitops-repo.js';
import { runInHelmHome, type CommandRun } from '../support/helm-home.js';
import { startKubernetesOpenApiServer, type KubernetesOpenApiServer } from '../support/kubernetes-openapi-server.js';
import { NODE_DECLARATION, ROLLOUT_CASES } from './rollout-cases.js';

interface JsonRisk {
  rule: string;
  severity: string;
  environment: string;
  resource: { kind: string; name: string };
  message: string;
}

/**
 * The rollout rehearsal through `diff`, on the fixture platform's declared nodes (real
 * kube-apiserver, kube-controller-manager, kube-scheduler and KWOK): every fixture case is a risk
 * with the controller's or the scheduler's own words, and the non-cases give nothing.
 */
describe('the rollout rehearsal on the declared nodes', () => {
  let repo: GitopsRepo;
  let schemas: KubernetesOpenApiServer;
  let base: string;
  let head: string;
  const spec = (side: 'base' | 'head'): FixtureRepoSpec => ({
    repositoryUrl: inject('chartRepositoryUrl'),
    environments: ['single', 'trio'],
    releases: [
      {
        name: 'cases',
        namespace: 'cases',
        chart: 'rollout',
        version: '1.0.0',
        valuesByEnvironment: { single: { objects: ROLLOUT_CASES.single[side] }, trio: { objects: ROLLOUT_CASES.trio[side] } },
      },
    ],
  });

  beforeAll(async () => {
    schemas = await startKubernetesOpenApiServer();
    repo = await GitopsRepo.create(spec('base'));
    await repo.write('.helmfile-hydrate.yaml', NODE_DECLARATION);
    base = await repo.commit('declare the nodes');
    await repo.writeSpec(spec('head'));
    head = await repo.commit('the cases');
  });
  afterAll(async () => {
    await repo?.remove();
    await schemas?.close();
  });

  function diff(args: string[]): Promise<CommandRun> {
    const common = ['--base', base, '--head', head, '--helm', inject('helmPath'), '--helmfile-binary', inject('helmfilePath')];
    const more = ['--kubernetes-schemas', schemas.baseUrl, '--api-server-binaries', inject('apiServerDirectory'), '--no-image-check'];
    return runInHelmHome((terminal) => diffCommand([...common, ...more, ...args], terminal, repo.dir));
  }

  it("names every case as a risk with the cluster's own message, and nothing for the non-cases", async () => {
    const run = await diff(['--format', 'json', '--block-on-risk', 'high']);
    expect(run.exitCode, run.err).toBe(1);
    const report = JSON.parse(run.out) as { risks: JsonRisk[]; checks: { check: string; summary: string }[] };
    const found = report.risks
      .filter((risk) => risk.rule === 'rollout-blocked' || risk.rule === 'node-loss')
      .map((risk) => `${risk.environment} ${risk.rule} ${risk.severity} ${risk.resource.kind}/${risk.resource.name}`);
    expect(found.sort()).toEqual(
      [
        'single rollout-blocked high Deployment/spread',
        'trio node-loss high Deployment/pinned',
        'trio rollout-blocked high DaemonSet/agent',
        'trio rollout-blocked high Deployment/big',
        'trio rollout-blocked high Deployment/lonely',
        'trio rollout-blocked high Deployment/picky',
        'trio rollout-blocked high Deployment/root',
        'trio rollout-blocked high PersistentVolumeClaim/cache',
      ].sort(),
    );
    const message = (name: string) => report.risks.find((risk) => risk.resource.name === name)!.message;
    expect(message('spread')).toMatch(/didn't match pod anti-affinity rules/);
    expect(message('big')).toMatch(/Insufficient memory/);
    expect(message('picky')).toMatch(/didn't match Pod's node affinity\/selector/);
    expect(message('lonely')).toMatch(/serviceaccount "wroker" not found/i);
    expect(message('root')).toMatch(/violates PodSecurity "restricted:latest"/);
    expect(message('agent')).toMatch(/no longer runs on 1 node\(s\) it ran on with the base: trio-1/);
    expect(message('pinned')).toMatch(/when the node trio-2 is lost, 0 of 1 pod\(s\) can run/);
    expect(message('cache')).toMatch(/StorageClass "ceph-blok"/);
    const rehearsal = report.checks.find((check) => check.check === 'rehearsal')!;
    expect(rehearsal.summary).toMatch(/single: \d+ pods? of \d+ workloads? scheduled on 1 declared node/);
    expect(rehearsal.summary).toMatch(/trio: \d+ pods? of \d+ workloads? scheduled on 3 declared nodes/);
  });

  it('shows the rehearsal in the comment: each case under Risks, one summary line per environment', async () => {
    const run = await diff(['--format', 'markdown']);
    for (const name of ['spread', 'big', 'picky', 'lonely', 'root', 'agent', 'pinned', 'cache']) expect(run.out).toContain(name);
    expect(run.out).toContain('rollout-blocked');
    expect(run.out).toMatch(/rehearsal on the declared nodes/);
  });
});
