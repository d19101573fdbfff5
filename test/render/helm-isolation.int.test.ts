import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { stringify } from 'yaml';
import { renderEnvironmentsSettled } from '../../src/render/render.js';
import { FIXTURE_CHARTS, startChartRepository, type ChartRepository } from '../support/chart-repository.js';
import { GitopsRepo } from '../support/gitops-repo.js';
import { testToolchain } from '../support/toolchain.js';

/** Enough runs to catch a race between two helmfile processes sharing helm's repository state (it lost 3 of 6 before). */
const RUNS = 20;

describe('each helmfile process has a helm home of its own', () => {
  let toolchain: Awaited<ReturnType<typeof testToolchain>>;
  let other: ChartRepository;
  let scratch: string;
  let repo: GitopsRepo;

  beforeAll(async () => {
    toolchain = await testToolchain();
    // A second repository serving a different chart under the same name and version.
    scratch = await mkdtemp(join(tmpdir(), 'hydrate-other-charts-'));
    await cp(join(FIXTURE_CHARTS, 'webapp', '1.0.0'), join(scratch, 'webapp', '1.0.0'), { recursive: true });
    const values = join(scratch, 'webapp', '1.0.0', 'values.yaml');
    await writeFile(
      values,
      (await readFile(values, 'utf8')).replace('registry.example.com/library/nginx', 'registry.example.com/other/nginx'),
    );
    other = await startChartRepository(toolchain.helm.path, scratch, toolchain.env);
    repo = await GitopsRepo.create({
      repositoryUrl: inject('chartRepositoryUrl'),
      environments: ['production', 'staging'],
      releases: [{ name: 'web', namespace: 'apps', chart: 'webapp', version: '1.0.0' }],
    });
    // One repository name, one URL per environment.
    const urls = { production: inject('chartRepositoryUrl'), staging: other.url };
    await repo.write(
      'helmfile/helmfile.yaml.gotmpl',
      `${stringify({ environments: Object.fromEntries(Object.entries(urls).map(([name, url]) => [name, { values: [{ chartRepository: url }] }])) })}---\n` +
        stringify({
          repositories: [{ name: 'fixtures', url: '{{ .Values.chartRepository }}' }],
          releases: [{ name: 'web', namespace: 'apps', chart: 'fixtures/webapp', version: '1.0.0' }],
        }),
    );
  });
  afterAll(async () => {
    await other?.close();
    await repo?.remove();
    await toolchain?.remove();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it(`renders each environment from its own repository when they run in parallel (${RUNS} runs)`, async () => {
    const images: string[] = [];
    for (let run = 0; run < RUNS; run++) {
      const { environments, failures } = await renderEnvironmentsSettled({ helmfile: repo.helmfile, cwd: repo.dir }, toolchain);
      expect(failures).toEqual([]);
      for (const environment of environments) {
        const deployment = environment.releases[0]!.resources.find((resource) => resource.key.kind === 'Deployment')!;
        images.push(`${environment.environment}: ${/image: "?([^"\n]+)/.exec(deployment.content)![1]}`);
      }
    }
    expect(new Set(images)).toEqual(
      new Set(['production: registry.example.com/library/nginx:1.27.0', 'staging: registry.example.com/other/nginx:1.27.0']),
    );
    expect(images).toHaveLength(RUNS * 2);
  }, 180_000);
});
