import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parseChartMirror, startChartMirror } from '../../src/render/chart-mirror.js';
import { renderEnvironments } from '../../src/render/render.js';
import { renderErrorsOf } from '../../src/render/errors.js';
import { FIXTURE_CHARTS } from '../support/chart-repository.js';
import { testToolchain } from '../support/toolchain.js';

type Toolchain = Awaited<ReturnType<typeof testToolchain>>;

/**
 * Repositories that do not exist (`.invalid` never resolves): the renders below can only succeed
 * through the mirror.
 */
const HELMFILE = `repositories:
  - name: fixtures
    url: https://charts.invalid/stable
  - name: registry
    url: registry.invalid/team/charts
    oci: true
releases:
  - name: web
    namespace: apps
    chart: fixtures/webapp
    version: 1.1.0
  - name: csi
    namespace: storage
    chart: registry/csi-driver
    version: 2.0.0
`;

let toolchain: Toolchain;
let scratch: string;
let helmfile: string;
/** A mirror directory laid out like ../shared/charts: <repository name>/index.yaml with relative URLs. */
let mirror: string;

beforeAll(async () => {
  toolchain = await testToolchain();
  scratch = await mkdtemp(join(tmpdir(), 'hydrate-chart-mirror-'));
  mirror = join(scratch, 'mirror');
  const helm = (...args: string[]) => execa(toolchain.helm.path, args, { env: toolchain.env, extendEnv: false });
  for (const [repository, charts] of [
    ['fixtures', ['webapp/1.1.0']],
    [join('registry.invalid', 'team', 'charts'), ['csi-driver/2.0.0']],
  ] as const) {
    await mkdir(join(mirror, repository), { recursive: true });
    for (const chart of charts) await helm('package', join(FIXTURE_CHARTS, chart), '--destination', join(mirror, repository));
    await helm('repo', 'index', join(mirror, repository));
  }
  helmfile = join(scratch, 'helmfile.yaml');
  await writeFile(helmfile, HELMFILE);
});

afterAll(async () => {
  await toolchain?.remove();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

const resourceNames = (environments: Awaited<ReturnType<typeof renderEnvironments>>) =>
  environments.flatMap((environment) =>
    environment.releases.map(
      (release) =>
        `${release.release.name}: ${release.resources
          .map((resource) => resource.key.kind)
          .sort()
          .join(',')}`,
    ),
  );

describe('chart mirror with the real helmfile and helm', () => {
  it('renders HTTP and OCI repositories from a local directory, served on 127.0.0.1 for the render only', async () => {
    const environments = await renderEnvironments({ helmfile, cwd: scratch, chartMirror: parseChartMirror([mirror], scratch) }, toolchain);
    expect(resourceNames(environments)).toEqual([
      'web: ConfigMap,Deployment,Secret,Service',
      'csi: CSIDriver,ConfigMap,DaemonSet,ServiceAccount,StorageClass',
    ]);
    // The helmfile is not edited.
    expect(await readFile(helmfile, 'utf8')).toBe(HELMFILE);
  });

  it('maps one repository URL to a mirror URL and an OCI prefix to a directory', async () => {
    const chartMirror = parseChartMirror(
      [
        `https://charts.invalid/stable=${inject('chartRepositoryUrl')}`,
        `oci://registry.invalid/team=${join(mirror, 'registry.invalid', 'team')}`,
      ],
      scratch,
    );
    const environments = await renderEnvironments({ helmfile, cwd: scratch, chartMirror }, toolchain);
    expect(resourceNames(environments)).toHaveLength(2);
  });

  it('fails without the mirror: the repositories really are unreachable', async () => {
    const failure = await renderEnvironments({ helmfile, cwd: scratch }, toolchain).catch((error: unknown) => error);
    expect(renderErrorsOf(failure)).toBeDefined();
  });

  it('names a mirror directory that does not exist', async () => {
    const missing = join(scratch, 'no-such-mirror');
    const failure = await renderEnvironments(
      { helmfile, cwd: scratch, chartMirror: parseChartMirror([missing], scratch) },
      toolchain,
    ).catch((error: unknown) => error);
    expect(renderErrorsOf(failure)).toBeDefined();
    expect((failure as Error).message).toContain(`chart mirror ${JSON.stringify(missing)}: the directory does not exist`);
  });

  it('serves only files inside the mirror directory, and stops with the render', async () => {
    const active = await startChartMirror(parseChartMirror([mirror], scratch), toolchain.helm.path);
    const base = active.plan!.base!;
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/0$/);
    expect((await fetch(`${base}/fixtures/index.yaml`)).status).toBe(200);
    expect((await fetch(`${base}/%2e%2e/helmfile.yaml`)).status).toBe(404);
    expect((await fetch(`${base}/fixtures/../../helmfile.yaml`)).status).toBe(404);
    await active.close();
    await expect(fetch(`${base}/fixtures/index.yaml`)).rejects.toThrow();
  });
});
