import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRepositoryPins, REPOSITORY_PINS_FILE } from '../../src/tools/repository-pins.js';
import { extractPackageFiles, installRenovate, type ExtractedPackageFile } from '../platform/support/renovate.js';

const REPOSITORY_ROOT = new URL('../..', import.meta.url).pathname;

/** A pin file as users write it: a comment, a quoted version, a `v` prefix. */
const PIN_FILE = '# Tool versions this repository renders with; Renovate bumps them.\nhelm: "4.3.0"\nhelmfile: v1.8.0\n';

// The custom manager of renovate.json, run by the real Renovate (--dry-run=extract: offline, no
// registry lookups) on a repository that holds only a pin file: both tools are found, at the
// versions helmfile-hydrate reads from the same file.
describe("renovate.json's manager for the repository pin file", () => {
  let scratch: string;
  let found: ExtractedPackageFile[];

  beforeAll(async () => {
    const renovate = await installRenovate();
    scratch = await mkdtemp(join(tmpdir(), 'hydrate-renovate-pins-'));
    const repository = join(scratch, 'repository');
    await mkdir(repository);
    await copyFile(join(REPOSITORY_ROOT, 'renovate.json'), join(repository, 'renovate.json'));
    await writeFile(join(repository, REPOSITORY_PINS_FILE), PIN_FILE);
    found = (await extractPackageFiles(renovate, repository, join(scratch, 'run'))).regex ?? [];
  });
  afterAll(async () => {
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it('finds helm and helmfile with their GitHub releases, at the versions the file pins', () => {
    const pins = parseRepositoryPins(PIN_FILE, REPOSITORY_PINS_FILE).versions;
    // One package file per custom manager: helm's and helmfile's.
    expect(new Set(found.map((file) => file.packageFile))).toEqual(new Set([REPOSITORY_PINS_FILE]));
    const dependencies = found.flatMap((file) => file.deps);
    expect(
      dependencies.map((dependency) => [dependency.depName, dependency.datasource, dependency.packageName, dependency.currentValue]),
    ).toEqual([
      ['helm', 'github-releases', 'helm/helm', pins.helm],
      ['helmfile', 'github-releases', 'helmfile/helmfile', pins.helmfile],
    ]);
  });
});
