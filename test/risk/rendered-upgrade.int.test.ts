import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { diffCommand } from '../../src/cli/diff-command.js';
import type { Terminal } from '../../src/cli/terminal.js';
import type { Risk } from '../../src/risk/types.js';
import { risksOfCommits } from './risks-of-commits.js';
import { GitopsRepo, type FixtureRelease, type FixtureRepoSpec } from '../support/gitops-repo.js';
import { isolatedHelmEnv } from '../support/helm-home.js';
import { testToolchain } from '../support/toolchain.js';
import { KUBERNETES_OPENAPI_DOCUMENTS } from '../support/kubernetes-openapi-server.js';

/** The pinned Kubernetes OpenAPI documents, read from disk: `diff` validates both sides. */
const LOCAL_SCHEMAS = `${join(KUBERNETES_OPENAPI_DOCUMENTS, '{minor}', 'api', 'openapi-spec', 'v3')}/`;

type Toolchain = Awaited<ReturnType<typeof testToolchain>>;

/**
 * Real renders of fixture chart upgrades (helmfile template on two commits of a GitOps repo):
 * queue 1.0.0 -> 2.0.0 adds a volumeClaimTemplate to its StatefulSet and moves to a new major
 * image; csi-driver 2.0.0 -> 2.1.0 renames a setting in the config file its node plugin reads.
 */
describe('risks of real chart upgrades', () => {
  let toolchain: Toolchain;
  let repo: GitopsRepo;
  let base: string;
  let head: string;
  let risks: Risk[];
  const queue: FixtureRelease = { name: 'queue', namespace: 'messaging', chart: 'queue', version: '1.0.0' };
  const csi: FixtureRelease = { name: 'csi', namespace: 'storage', chart: 'csi-driver', version: '2.0.0' };
  const spec = (releases: FixtureRelease[]): FixtureRepoSpec => ({
    repositoryUrl: inject('chartRepositoryUrl'),
    environments: ['production'],
    releases,
  });

  beforeAll(async () => {
    toolchain = await testToolchain();
    repo = await GitopsRepo.create(spec([queue, csi]));
    base = await repo.git('rev-parse', 'HEAD');
    await repo.writeSpec(
      spec([
        { ...queue, version: '2.0.0' },
        { ...csi, version: '2.1.0' },
      ]),
    );
    head = await repo.commit('chore(deps): update queue to 2.0.0 and csi-driver to 2.1.0');
    risks = await risksOfCommits(repo, base, head, toolchain);
  });
  afterAll(async () => {
    await repo?.remove();
    await toolchain?.remove();
  });

  it('immutable-field: the StatefulSet volumeClaimTemplates change fails the sync; the fix is an orphaning delete', () => {
    const [risk, ...others] = risks.filter((r) => r.rule === 'immutable-field');
    expect(others).toEqual([]);
    expect(risk).toMatchObject({
      severity: 'high',
      environment: 'production',
      release: 'queue',
      resource: { group: 'apps', kind: 'StatefulSet', namespace: 'messaging', name: 'queue' },
      field: 'spec.volumeClaimTemplates',
    });
    expect(risk!.change!.to).toContain('"name":"wal"');
    expect(risk!.fix).toContain('--cascade=orphan');
  });

  it('image-major-bump, critical-daemonset and embedded-config-changed come with the same upgrade, high first', () => {
    expect(risks.map((r) => `${r.severity} ${r.rule} ${r.resource.kind}/${r.resource.name}`)).toEqual([
      'high critical-daemonset DaemonSet/csi-nodeplugin',
      'high immutable-field StatefulSet/queue',
      'medium embedded-config-changed ConfigMap/csi-config',
      'medium image-major-bump StatefulSet/queue',
    ]);
    expect(risks.find((r) => r.rule === 'embedded-config-changed')!.details).toEqual(['- [0].clusterID', '+ [0].clusterId: cluster-a']);
    expect(risks.find((r) => r.rule === 'critical-daemonset')!.message).toContain('storage (CSI) node plugin');
  });

  it('helmfile-hydrate diff prints the risks, and exits 1 with --block-on-risk high', async () => {
    const captured: string[] = [];
    const errors: string[] = [];
    const terminal: Terminal = { out: (t) => captured.push(t), err: (t) => errors.push(t) };
    const helmHome = await isolatedHelmEnv();
    const saved = { ...process.env };
    Object.assign(process.env, helmHome.env);
    try {
      const tools = ['--helm', inject('helmPath'), '--helmfile-binary', inject('helmfilePath'), '--kubernetes-schemas', LOCAL_SCHEMAS];
      expect(
        await diffCommand(['--base', base, '--head', head, '--format', 'text', '--block-on-risk', 'high', ...tools], terminal, repo.dir),
      ).toBe(1);
      expect(errors).toContain('2 risks at --block-on-risk high or above (see Risks)');
    } finally {
      for (const name of Object.keys(helmHome.env)) {
        if (saved[name] === undefined) delete process.env[name];
        else process.env[name] = saved[name];
      }
      await helmHome.remove();
    }
    const report = captured[0]!;
    expect(report).toContain('Risks (4 risks: 2 high, 2 medium):');
    // Grouped by rule, the rule's documentation named, what to do said once, then the resource.
    expect(report).toMatch(
      /^ {2}\[high\] api-server-refused \(1 risk; https:\/\/\S+#api-server-refused\)\n {4}to do: delete the StatefulSet .*\n {4}production\/queue StatefulSet\.apps messaging\/queue spec\.volumeClaimTemplates: a StatefulSet may change only/m,
    );
  });
});
