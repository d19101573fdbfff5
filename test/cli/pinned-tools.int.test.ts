import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runCli } from '../../src/cli.js';
import { diffCommand } from '../../src/cli/diff-command.js';
import { KUBERNETES_OPENAPI_DOCUMENTS } from '../support/kubernetes-openapi-server.js';
import { REPOSITORY_PINS_FILE } from '../../src/tools/repository-pins.js';
import { toolSpec } from '../../src/tools/manifest.js';
import { GitopsRepo } from '../support/gitops-repo.js';
import { isolatedHelmEnv } from '../support/helm-home.js';
import { OLDER_HELM_VERSION } from '../support/older-helm.js';

const ANNOTATION = 'helmfile-hydrate.test/helm-version';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { terminal: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out, err };
}

// No --helm: the CLI takes helm and helmfile at the versions the repository's pin file names,
// from the tool cache the global setup filled (the older helm among them).
let helmHome: Awaited<ReturnType<typeof isolatedHelmEnv>>;
const savedEnv = { ...process.env };
const repos: GitopsRepo[] = [];

beforeAll(async () => {
  helmHome = await isolatedHelmEnv();
  Object.assign(process.env, helmHome.env);
});
afterAll(async () => {
  process.env = savedEnv;
  await Promise.all(repos.map((repo) => repo.remove()));
  await helmHome?.remove();
});

/** A repository with one release of the fixture chart that records the helm version that rendered it. */
async function helmVersionRepo(): Promise<GitopsRepo> {
  const repo = await GitopsRepo.create({
    repositoryUrl: inject('chartRepositoryUrl'),
    environments: ['production'],
    releases: [{ name: 'version', namespace: 'tools', chart: 'helm-version', version: '1.0.0' }],
  });
  repos.push(repo);
  return repo;
}

describe('helmfile-hydrate render with a repository pin file', () => {
  let repo: GitopsRepo;
  beforeAll(async () => {
    repo = await helmVersionRepo();
  });

  const manifest = () => readFile(join(repo.manifests, 'production', 'version', 'configmap_tools_version.yaml'), 'utf8');
  const render = async () => {
    const { terminal, err } = capture();
    const code = await runCli(['render', '--helmfile', repo.helmfile, '--output-dir', repo.manifests], terminal);
    expect(code, err.join('\n')).toBe(0);
    return err.join('\n');
  };

  it("renders with tools.json's helm when the repository pins nothing", async () => {
    await render();
    expect(await manifest()).toContain(`${ANNOTATION}: "v${toolSpec('helm').version}"`);
    await repo.commit('manifests');
  });

  it(`renders with helm ${OLDER_HELM_VERSION} once ${REPOSITORY_PINS_FILE} says so, every release again`, async () => {
    await repo.write(REPOSITORY_PINS_FILE, `# Tool versions this repository renders with.\nhelm: ${OLDER_HELM_VERSION}\n`);
    const log = await render();
    expect(log).toContain(
      `tools: helm ${OLDER_HELM_VERSION} (pinned in ${join(repo.dir, REPOSITORY_PINS_FILE)}; cache: ${inject('olderHelmPath')})`,
    );
    expect(await manifest()).toContain(`${ANNOTATION}: "v${OLDER_HELM_VERSION}"`);
  });

  it('refuses a pin file it cannot use, quoting the entry and the fix', async () => {
    await repo.write(REPOSITORY_PINS_FILE, 'helm: 4.3\n');
    const { terminal, err } = capture();
    expect(await runCli(['render', '--helmfile', repo.helmfile, '--output-dir', repo.manifests], terminal)).toBe(1);
    expect(err.join('\n')).toContain(
      `${join(repo.dir, REPOSITORY_PINS_FILE)}: "helm: 4.3" is not a release version; write the full version X.Y.Z`,
    );
  });
});

// diff renders the head with the tools the head commit pins: the committed file, not the working tree's.
describe('helmfile-hydrate diff with a pin file on the head commit', () => {
  let repo: GitopsRepo;
  beforeAll(async () => {
    repo = await helmVersionRepo();
  });

  it(`takes helm ${OLDER_HELM_VERSION} from the head commit's ${REPOSITORY_PINS_FILE}`, async () => {
    const base = await repo.git('rev-parse', 'HEAD');
    await repo.write(REPOSITORY_PINS_FILE, `helm: ${OLDER_HELM_VERSION}\n`);
    const head = await repo.commit('pin an older helm');
    // Uncommitted, and unusable: diff compares commits and never reads it.
    await repo.write(REPOSITORY_PINS_FILE, 'helm: latest\n');
    const { terminal, err } = capture();
    const schemas = `${join(KUBERNETES_OPENAPI_DOCUMENTS, '{minor}', 'api', 'openapi-spec', 'v3')}/`;
    const code = await diffCommand(
      ['--base', base, '--head', head, '--format', 'json', '--no-values-check', '--kubernetes-schemas', schemas],
      terminal,
      repo.dir,
    );
    expect(code, err.join('\n')).toBe(0);
    expect(err.join('\n')).toContain(
      `tools: helm ${OLDER_HELM_VERSION} (pinned in ${REPOSITORY_PINS_FILE} on ${head.slice(0, 12)}; cache: ${inject('olderHelmPath')})`,
    );
  });
});

// The toolchain's effect is the diff: the base side is what main holds (rendered by the helm it
// pinned), the head renders with the helm the pull request pins; nothing else changed.
describe('a pull request that changes the pinned helm', () => {
  it('shows exactly what the new helm renders differently, with cause toolchain and the versions named', async () => {
    const repo = await helmVersionRepo();
    await repo.write(REPOSITORY_PINS_FILE, `helm: ${OLDER_HELM_VERSION}\n`);
    const { terminal: renderTerminal, err: renderErr } = capture();
    expect(
      await runCli(['render', '--helmfile', repo.helmfile, '--output-dir', repo.manifests], renderTerminal),
      renderErr.join('\n'),
    ).toBe(0);
    const base = await repo.commit('main: manifests rendered by the pinned helm');
    await repo.write(REPOSITORY_PINS_FILE, `helm: ${toolSpec('helm').version}\n`);
    const head = await repo.commit('chore(deps): update helm');
    const schemas = `${join(KUBERNETES_OPENAPI_DOCUMENTS, '{minor}', 'api', 'openapi-spec', 'v3')}/`;
    const diff = async (format: string) => {
      const { terminal, out, err } = capture();
      const args = ['--base', base, '--head', head, '--format', format, '--no-values-check', '--no-api-server'];
      expect(await diffCommand([...args, '--kubernetes-schemas', schemas], terminal, repo.dir), err.join('\n')).toBe(0);
      return out.join('');
    };
    const report = JSON.parse(await diff('json')) as {
      environments: Array<{ releases: Array<{ resources: Array<{ id: string; cause: string; patch: string }> }> }>;
      toolchain: unknown[];
    };
    const changes = report.environments.flatMap((environment) => environment.releases.flatMap((release) => release.resources));
    expect(changes.map(({ id, cause }) => [id, cause])).toEqual([['|ConfigMap|tools|version', 'toolchain']]);
    expect(changes[0]!.patch.split('\n').filter((line) => /^[-+]/.test(line))).toEqual([
      `-    ${ANNOTATION}: v${OLDER_HELM_VERSION}`,
      `+    ${ANNOTATION}: v${toolSpec('helm').version}`,
    ]);
    expect(report.toolchain).toEqual([{ environment: 'production', tool: 'helm', from: OLDER_HELM_VERSION, to: toolSpec('helm').version }]);
    const markdown = await diff('markdown');
    expect(markdown).toContain(`- **toolchain**: \`helm ${OLDER_HELM_VERSION} → ${toolSpec('helm').version} (production)\`: 1 resource`);
    expect(markdown).toContain('cause: **toolchain**');
  });
});
