import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runCli } from '../../src/cli.js';
import { diffCommand } from '../../src/cli/diff-command.js';
import { GitopsRepo, type FixtureRelease, type FixtureRepoSpec } from '../support/gitops-repo.js';
import { runInHelmHome } from '../support/helm-home.js';
import { startKubernetesOpenApiServer, type KubernetesOpenApiServer } from '../support/kubernetes-openapi-server.js';

interface JsonRisk {
  rule: string;
  severity: string;
  release: string;
  resource: { kind: string; name: string };
  field?: string;
  message: string;
  confirms?: string[];
  path?: string;
}

/**
 * The sync check on a real chart upgrade: ledger 1.0.0 -> 2.0.0 (a fixture chart) changes a
 * Deployment's selector, lowers a value a CEL transition rule guards, drops the CRD version its
 * custom resource is stored in, and repeats an env name, which only server-side apply refuses; its
 * hooks (a helm pre-install and post-upgrade hook, an Argo CD PreSync hook) each get a mistake.
 * Each is refused by the real kube-apiserver when the head is synced over the base.
 */
describe('the sync check on a fixture chart upgrade', () => {
  let repo: GitopsRepo;
  let schemas: KubernetesOpenApiServer;
  let base: string;
  let head: string;
  const ledger: FixtureRelease = { name: 'ledger', namespace: 'books', chart: 'ledger', version: '1.0.0' };
  const web: FixtureRelease = { name: 'web', namespace: 'apps', chart: 'webapp', version: '1.0.0' };
  const spec = (releases: FixtureRelease[]): FixtureRepoSpec => ({
    repositoryUrl: inject('chartRepositoryUrl'),
    environments: ['production'],
    releases,
  });

  beforeAll(async () => {
    schemas = await startKubernetesOpenApiServer();
    repo = await GitopsRepo.create(spec([ledger, web]));
    base = await repo.git('rev-parse', 'HEAD');
    await repo.writeSpec(spec([{ ...ledger, version: '2.0.0' }, web]));
    head = await repo.commit('chore(deps): update ledger to 2.0.0');
  });
  afterAll(async () => {
    await repo?.remove();
    await schemas?.close();
  });

  const run = runInHelmHome;

  const tools = () => ['--helm', inject('helmPath'), '--helmfile-binary', inject('helmfilePath')];
  // The image check and the rehearsal have tests of their own (test/images, test/rehearsal).
  const servers = () => [
    '--kubernetes-schemas',
    schemas.baseUrl,
    '--api-server-binaries',
    inject('apiServerDirectory'),
    '--no-image-check',
    '--no-rehearsal',
  ];

  function diff(args: string[]): Promise<{ exitCode: number; out: string; err: string }> {
    return run((terminal) => diffCommand(['--base', base, '--head', head, ...tools(), ...servers(), ...args], terminal, repo.dir));
  }

  it('makes each refusal an api-server-refused risk with the server message, confirming what the rules foresaw', async () => {
    const run = await diff(['--format', 'json', '--block-on-risk', 'high']);
    expect(run.exitCode, run.err).toBe(1);
    const report = JSON.parse(run.out) as { risks: JsonRisk[]; checks: { check: string; summary: string; notExercised: unknown[] }[] };
    const refused = report.risks.filter((risk) => risk.rule === 'api-server-refused');
    const described = refused.map(
      (risk) => `${risk.resource.kind}/${risk.resource.name} ${risk.field ?? ''} [${(risk.confirms ?? []).join(',')}]`,
    );
    expect(described.sort()).toEqual(
      [
        'CustomResourceDefinition/entries.ledger.example.com spec.versions [crd-stored-version-removed]',
        'Deployment/ledger spec.selector [immutable-field]',
        'Deployment/ledger-worker  []',
        // Only the server evaluates this transition rule: the custom resource changed its version too.
        'Entry/ledger spec []',
        // Hooks, deleted and created again as Argo CD does (their pod templates changed too, which an
        // update would refuse as immutable); the Skip hook is never applied.
        'Job/ledger-migrate spec.parallelism []',
        'Job/ledger-reindex spec.backoffLimit []',
        'ConfigMap/ledger-schema data[schema version] []',
      ].sort(),
    );
    const message = (name: string) => refused.find((risk) => risk.resource.name === name)!.message;
    expect(message('ledger-worker')).toContain('duplicate entries for key [name="MODE"]');
    expect(message('ledger')).toContain('field is immutable');
    expect(message('ledger-migrate')).toContain('spec.parallelism: Invalid value: -1: must be greater than or equal to 0');
    expect(message('ledger-reindex')).toContain('spec.backoffLimit: Invalid value: -2: must be greater than or equal to 0');
    expect(message('ledger-schema')).toContain('a valid config key must consist of alphanumeric characters');
    // Deleted before they are created again: the base's Jobs, of another pod template, are not updated.
    expect([message('ledger-migrate'), message('ledger-reindex')].filter((said) => said.includes('immutable'))).toEqual([]);
    expect(message('entries.ledger.example.com')).toContain(
      'status.storedVersions[0]: Invalid value: "v1alpha1": missing from spec.versions',
    );
    expect(refused.every((risk) => risk.severity === 'high' && risk.path?.startsWith('production/ledger/'))).toBe(true);
    expect(report.checks).toEqual([
      {
        check: 'api-server',
        summary: 'kube-apiserver 1.35.0 synced the change in production (ledger): 7 objects refused (listed under Risks)',
        notExercised: [],
      },
    ]);
  });

  it('puts the same risks in the markdown the comment shows, and --no-api-server leaves the check out', async () => {
    const markdown = await diff([]);
    expect(markdown.out).toContain('the API server refuses the sync: failed to create typed patch object');
    expect(markdown.out).toContain(
      '_kube-apiserver 1.35.0 synced the change in production (ledger): 7 objects refused (listed under Risks)._',
    );
    const without = await diff(['--no-api-server', '--format', 'json']);
    const risks = (JSON.parse(without.out) as { risks: JsonRisk[]; checks?: unknown }).risks;
    expect(risks.some((risk) => risk.rule === 'api-server-refused')).toBe(false);
    expect(JSON.parse(without.out)).not.toHaveProperty('checks');
  });

  it('validate --api-server renders the chart and reports each hook Argo CD runs that the server refuses, the Skip hook not', async () => {
    const cache = await mkdtemp(join(tmpdir(), 'hydrate-hooks-schemas-'));
    try {
      const args = ['--helmfile', repo.helmfile, ...tools(), ...servers(), '--schema-cache', cache, '--no-values-check'];
      const validate = await run((terminal) => runCli(['validate', ...args, '--api-server', '--format', 'json'], terminal));
      expect(validate.exitCode, validate.err).toBe(1);
      const findings = (JSON.parse(validate.out) as { findings: { rule: string; file: string; message: string }[] }).findings;
      expect(findings.map((finding) => `${finding.rule} ${finding.file}`).sort()).toEqual([
        'api-server production/ledger/configmap_books_ledger-schema.yaml',
        'api-server production/ledger/deployment.apps_books_ledger-worker.yaml',
        'api-server production/ledger/job.batch_books_ledger-migrate.yaml',
        'api-server production/ledger/job.batch_books_ledger-reindex.yaml',
      ]);
      expect(findings.find((finding) => finding.file.includes('ledger-migrate'))!.message).toContain(
        'spec.parallelism: Invalid value: -1: must be greater than or equal to 0',
      );
    } finally {
      await rm(cache, { recursive: true, force: true });
    }
  });
});
