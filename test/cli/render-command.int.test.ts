import { readdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runCli } from '../../src/cli.js';
import { GitopsRepo } from '../support/gitops-repo.js';
import { isolatedHelmEnv } from '../support/helm-home.js';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { terminal: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out, err };
}

describe('helmfile-hydrate render', () => {
  let repo: GitopsRepo;
  let helmHome: Awaited<ReturnType<typeof isolatedHelmEnv>>;
  const tools = () => ['--helm', inject('helmPath'), '--helmfile-binary', inject('helmfilePath')];

  beforeAll(async () => {
    helmHome = await isolatedHelmEnv();
    Object.assign(process.env, helmHome.env);
    repo = await GitopsRepo.create({
      repositoryUrl: inject('chartRepositoryUrl'),
      environments: ['staging', 'production'],
      releases: [{ name: 'web', namespace: 'apps', chart: 'webapp', version: '1.0.0' }],
    });
  });
  afterAll(async () => {
    await repo.remove();
    await helmHome.remove();
  });

  it('prints help and documents exit codes', async () => {
    const { terminal, out } = capture();
    expect(await runCli(['render', '--help'], terminal)).toBe(0);
    expect(out.join('')).toMatch(
      /--environments NAMES[\s\S]*Comma-separated, repeatable\.[\s\S]*--check[\s\S]*Exit codes: 0 rendered \(with --check: current\), 1 a render failed/,
    );
  });

  it('exits 2 on a usage error and names the problem', async () => {
    const { terminal, err } = capture();
    expect(await runCli(['render', '--bogus'], terminal)).toBe(2);
    expect(err.join('')).toMatch(/Unknown option '--bogus'[\s\S]*Usage: helmfile-hydrate render/);
    expect(await runCli(['frobnicate'], capture().terminal)).toBe(2);
  });

  it('documents --chart-mirror in render, validate and diff, and refuses a mirror helm cannot use with exit 2', async () => {
    for (const command of ['render', 'validate', 'diff']) {
      const { terminal, out } = capture();
      expect(await runCli([command, '--help'], terminal)).toBe(0);
      expect(out.join(''), command).toMatch(/--chart-mirror MIRROR +Fetch charts from a mirror instead of the helmfile's repositories/);
    }
    const { terminal, err } = capture();
    expect(await runCli(['render', '--chart-mirror', 'oci://registry.internal/all', ...tools()], terminal)).toBe(2);
    expect(err.join('')).toContain('--chart-mirror "oci://registry.internal/all": an OCI registry can only mirror OCI repositories');
  });

  it('accepts --kubernetes-version in render, validate and diff under that one name: --kube-version is a usage error (exit 2)', async () => {
    for (const command of ['render', 'validate', 'diff']) {
      const { terminal, out } = capture();
      expect(await runCli([command, '--help'], terminal)).toBe(0);
      expect(out.join(''), command).toMatch(
        /--kubernetes-version VERSION\n +Kubernetes version the manifests are rendered and validated for/,
      );
      expect(out.join(''), command).not.toContain('--kube-version');
    }
    const { terminal, err } = capture();
    expect(
      await runCli(['render', '--kube-version', '1.34', '--helmfile', repo.helmfile, '--output-dir', repo.manifests, ...tools()], terminal),
    ).toBe(2);
    expect(err.join('')).toContain("Unknown option '--kube-version'");
  });

  it('renders only the environments asked for and reports progress per release on stderr', async () => {
    const { terminal, out, err } = capture();
    const code = await runCli(
      ['render', '--environments', 'staging', '--helmfile', repo.helmfile, '--output-dir', repo.manifests, ...tools()],
      terminal,
    );
    expect(code, err.join('\n')).toBe(0);
    expect(out).toEqual([]);
    expect(err.join('\n')).toMatch(/staging\/web: fixtures\/webapp@1\.0\.0: 4 resource\(s\)/);
    expect(await readdir(repo.manifests)).toEqual(['.helmfile-hydrate.json', 'staging']);
  });

  it('exits 1 and writes nothing when the helmfile is broken', async () => {
    await repo.write('helmfile/helmfile.yaml.gotmpl', 'releases:\n  - name: web\n    chart: fixtures/webapp\n    version: [\n');
    const { terminal, err } = capture();
    expect(
      await runCli(['render', '--helmfile', repo.helmfile, '--output-dir', repo.manifests, '-e', 'staging', ...tools()], terminal),
    ).toBe(1);
    expect(err.join('\n')).toMatch(/render failed; nothing was written[\s\S]*environment "staging"/);
    expect(await readdir(repo.manifests)).toEqual(['.helmfile-hydrate.json', 'staging']);
  });
});
