import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toolSpec } from '../../src/tools/manifest.js';
import { readRepositoryPins } from '../../src/tools/repository-pins-file.js';
import { REPOSITORY_PINS_FILE } from '../../src/tools/repository-pins.js';
import { testToolchain } from '../support/toolchain.js';
import {
  extractPackageFiles,
  installRenovate,
  renovateEnvironment,
  RENOVATE_VERSION,
  type ExtractedPackageFile,
  type RenovateInstallation,
} from './support/renovate.js';
import { REPOSITORY_ROOT, buildState, isLocalChart, type PlatformState } from './support/platform.js';

/** The first run installs Renovate (about a minute); the install is cached afterwards. */
const INSTALL_TIMEOUT_MS = 10 * 60_000;

let renovate: RenovateInstallation;
let scratch: string;
let state: PlatformState;
let extracted: Record<string, ExtractedPackageFile[]>;

async function validateConfig(directory: string): Promise<{ exitCode: number; output: string }> {
  const result = await execa(renovate.node, [renovate.configValidator, '--strict'], {
    cwd: directory,
    env: renovateEnvironment(join(scratch, 'validator')),
    extendEnv: false,
    reject: false,
    stdin: 'ignore',
  });
  return { exitCode: result.exitCode ?? 1, output: `${result.stdout}\n${result.stderr}` };
}

beforeAll(async () => {
  renovate = await installRenovate({ log: (message) => process.stderr.write(`[renovate] ${message}\n`) });
  scratch = await mkdtemp(join(tmpdir(), 'platform-renovate-'));
  const toolchain = await testToolchain();
  try {
    state = await buildState(toolchain, 'production');
  } finally {
    await toolchain.remove();
  }

  // A copy of the files Renovate manages, so its run never touches the working tree.
  const repository = join(scratch, 'repository');
  for (const path of ['renovate.json', 'tools.json', '.helmfile-hydrate.yaml', 'helmfile'])
    await cp(join(REPOSITORY_ROOT, path), join(repository, path), { recursive: true });
  extracted = await extractPackageFiles(renovate, repository, join(scratch, 'run'));
}, INSTALL_TIMEOUT_MS);

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe(`renovate ${RENOVATE_VERSION}`, () => {
  it('accepts renovate.json (renovate-config-validator --strict)', async () => {
    const result = await validateConfig(REPOSITORY_ROOT);
    expect(result.output).toContain('Config validated successfully');
    expect(result.exitCode).toBe(0);
  });

  it('the validator is live: it rejects an unknown option and an outdated one', async () => {
    const directory = join(scratch, 'invalid');
    const config = JSON.parse(await readFile(join(REPOSITORY_ROOT, 'renovate.json'), 'utf8')) as Record<string, unknown>;
    await cp(join(REPOSITORY_ROOT, 'renovate.json'), join(directory, 'renovate.json'));
    await writeFile(
      join(directory, 'renovate.json'),
      JSON.stringify({ ...config, helmfile: { fileMatch: ['helmfile'] }, automergeOnlyOnPatch: true }),
    );
    const result = await validateConfig(directory);
    expect(result.exitCode).not.toBe(0);
    expect(result.output).toContain('automergeOnlyOnPatch');
  });

  it('finds every upstream release of helmfile/ with its registry and pinned version', () => {
    const helmfile = extracted.helmfile ?? [];
    expect(helmfile.map((file) => file.packageFile)).toEqual(['helmfile/helmfile.yaml.gotmpl']);
    const repositories = new Map(state.repositories.map((repository) => [repository.name, repository.url]));
    const expected = state.releases
      .filter((release) => !isLocalChart(release.chart))
      .map((release) => {
        const [repository, chart] = release.chart.split('/') as [string, string];
        return { depName: chart, currentValue: release.version, registryUrls: [repositories.get(repository)] };
      });
    const found = helmfile[0]!.deps
      .filter((dependency) => !dependency.skipReason)
      .map((dependency) => ({ depName: dependency.depName, currentValue: dependency.currentValue, registryUrls: dependency.registryUrls }));
    expect(found).toEqual(expected);
    expect(helmfile[0]!.datasource).toBe('helm');
  });

  it('skips the charts this repository writes itself', () => {
    const skipped = extracted.helmfile![0]!.deps.filter((dependency) => dependency.skipReason);
    expect(skipped.map((dependency) => [dependency.depName, dependency.skipReason])).toEqual([
      ['platform-gitops', 'local-chart'],
      ['platform-config', 'local-chart'],
    ]);
  });

  it('keeps every tool version of tools.json current from its GitHub releases', async () => {
    const dependencies = (extracted.regex ?? [])
      .filter((file) => file.packageFile === 'tools.json')
      .flatMap((file) => file.deps.map((dependency) => ({ ...dependency, packageFile: file.packageFile })));
    const found = Object.fromEntries(
      dependencies.map((dependency) => [
        dependency.depName,
        [dependency.packageFile, dependency.datasource, dependency.packageName, dependency.currentValue],
      ]),
    );
    expect(found).toEqual({
      helm: ['tools.json', 'github-releases', 'helm/helm', toolSpec('helm').version],
      helmfile: ['tools.json', 'github-releases', 'helmfile/helmfile', toolSpec('helmfile').version],
      kubeconform: ['tools.json', 'github-releases', 'yannh/kubeconform', toolSpec('kubeconform').version],
      actionlint: ['tools.json', 'github-releases', 'rhysd/actionlint', toolSpec('actionlint').version],
      crane: ['tools.json', 'github-releases', 'google/go-containerregistry', toolSpec('crane').version],
    });
  });

  it('keeps the helm and helmfile this platform renders with (.helmfile-hydrate.yaml) current', async () => {
    const pins = (await readRepositoryPins(REPOSITORY_ROOT))!;
    const dependencies = (extracted.regex ?? []).filter((file) => file.packageFile === REPOSITORY_PINS_FILE).flatMap((file) => file.deps);
    expect(
      dependencies.map((dependency) => [dependency.depName, dependency.datasource, dependency.packageName, dependency.currentValue]),
    ).toEqual([
      ['helm', 'github-releases', 'helm/helm', pins.versions.helm],
      ['helmfile', 'github-releases', 'helmfile/helmfile', pins.versions.helmfile],
    ]);
  });
});
