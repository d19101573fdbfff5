import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { stringify } from 'yaml';

export interface FixtureRelease {
  name: string;
  namespace: string;
  /** A chart of test/fixtures/charts, served as `fixtures/<chart>`; or a local path (`../charts/x`). */
  chart: string;
  version?: string;
  installed?: boolean;
  /** Values per environment, written to environments/<env>/<release>.yaml. */
  values?: Record<string, unknown>;
  valuesByEnvironment?: Record<string, Record<string, unknown>>;
}

export interface FixtureRepoSpec {
  repositoryUrl: string;
  environments: string[];
  releases: FixtureRelease[];
}

/** Identity for fixture commits, passed per command (no git config is written). */
const FIXTURE_AUTHOR = ['-c', 'user.name=Fixture Author', '-c', 'user.email=fixture@example.com', '-c', 'commit.gpgsign=false'];

/**
 * A GitOps repository as users keep one: `helmfile/helmfile.yaml.gotmpl` with pinned charts and
 * `environments/<env>/` values; a real git repository in a temporary directory.
 */
export class GitopsRepo {
  private constructor(readonly dir: string) {}

  static async create(spec: FixtureRepoSpec): Promise<GitopsRepo> {
    const dir = await mkdtemp(join(tmpdir(), 'hydrate-gitops-'));
    const repo = new GitopsRepo(dir);
    await repo.git('init', '--quiet', '--initial-branch=main');
    await repo.writeSpec(spec);
    await repo.commit('initial platform');
    return repo;
  }

  get helmfile(): string {
    return join(this.dir, 'helmfile', 'helmfile.yaml.gotmpl');
  }

  get manifests(): string {
    return join(this.dir, 'manifests');
  }

  async writeSpec(spec: FixtureRepoSpec): Promise<void> {
    const environments = Object.fromEntries(spec.environments.map((env) => [env, { values: [`../environments/${env}/common.yaml`] }]));
    const releases = spec.releases.map((release) => ({
      name: release.name,
      namespace: release.namespace,
      chart: release.chart.includes('/') ? release.chart : `fixtures/${release.chart}`,
      ...(release.version ? { version: release.version } : {}),
      ...(release.installed === false ? { installed: false } : {}),
      values: [`../environments/{{ .Environment.Name }}/${release.name}.yaml`],
    }));
    const helmfile = `${stringify({ environments })}---\n${stringify({ repositories: [{ name: 'fixtures', url: spec.repositoryUrl }], releases })}`;
    await this.write('helmfile/helmfile.yaml.gotmpl', helmfile);
    for (const env of spec.environments) {
      await this.write(`environments/${env}/common.yaml`, stringify({ cluster: env }));
      for (const release of spec.releases) {
        const values = { ...(release.values ?? {}), ...(release.valuesByEnvironment?.[env] ?? {}) };
        await this.write(`environments/${env}/${release.name}.yaml`, Object.keys(values).length ? stringify(values) : '{}\n');
      }
    }
  }

  async write(path: string, content: string): Promise<void> {
    const target = join(this.dir, path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, content);
  }

  async git(...args: string[]): Promise<string> {
    const result = await execa('git', [...FIXTURE_AUTHOR, ...args], { cwd: this.dir });
    return result.stdout;
  }

  async commit(message: string): Promise<string> {
    await this.git('add', '--all');
    await this.git('commit', '--quiet', '--allow-empty', '-m', message);
    return this.git('rev-parse', 'HEAD');
  }

  remove(): Promise<void> {
    return rm(this.dir, { recursive: true, force: true });
  }
}
