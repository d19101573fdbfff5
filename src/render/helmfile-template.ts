import { readdir, readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join, relative, sep } from 'node:path';
import { mapLimited } from '../concurrency/map-limited.js';
import { withTemporaryDirectory } from '../fs/temporary-directory.js';
import { outputTail } from '../process/run-program.js';
import type { ReleaseRenderOutput, RenderedFile } from './documents.js';
import { RenderError, renderErrors } from './errors.js';
import { HelmfileError, type HelmfileCommand } from './helmfile.js';
import type { HelmfileRelease } from '../model/release.js';

/**
 * `helmfile template` of `releases` (all of the environment's when `selectors` is empty, else by
 * name) and each release's files as helm wrote them. A failure is attributed to the releases that
 * cause it (renderErrors of each).
 */
export async function templateReleases(
  helmfile: HelmfileCommand,
  environment: string,
  releases: readonly HelmfileRelease[],
  options: { kubeVersion?: string; selectByName: boolean },
): Promise<ReleaseRenderOutput[]> {
  if (releases.length === 0) return [];
  return withTemporaryDirectory('helmfile-hydrate-render-', async (workspace) => {
    const selectors = options.selectByName ? releases.map((release) => `name=${release.name}`) : [];
    try {
      await helmfile.template(environment, workspace, { kubeVersion: options.kubeVersion, selectors });
    } catch (error) {
      if (!(error instanceof HelmfileError)) throw error;
      throw renderErrors(await attributeFailure(helmfile, environment, releases, error, options.kubeVersion));
    }
    const outputs: ReleaseRenderOutput[] = [];
    for (const release of releases) outputs.push({ release, files: await readRenderedFiles(join(workspace, release.name)) });
    return outputs;
  });
}

/**
 * helmfile stops at the first failing release and its message does not always say which one;
 * rendering each release on its own names every failing release with helm's own message.
 */
async function attributeFailure(
  helmfile: HelmfileCommand,
  environment: string,
  releases: readonly HelmfileRelease[],
  failure: HelmfileError,
  kubeVersion: string | undefined,
): Promise<RenderError[]> {
  const results = await mapLimited(releases, Math.max(1, availableParallelism()), (release) =>
    withTemporaryDirectory('helmfile-hydrate-release-', async (workspace) => {
      try {
        await helmfile.template(environment, workspace, { selectors: [`name=${release.name}`], kubeVersion });
        return undefined;
      } catch (error) {
        if (!(error instanceof HelmfileError)) throw error;
        return new RenderError(
          { environment, release: release.name, chart: release.chart },
          `helmfile template failed:\n${outputTail(error.result.stderr)}`,
        );
      }
    }),
  );
  const errors = results.flatMap((result) => (result.status === 'fulfilled' && result.value ? [result.value] : []));
  return errors.length > 0 ? errors : [new RenderError({ environment }, `helmfile template failed:\n${outputTail(failure.result.stderr)}`)];
}

/** Every file helm wrote under `directory`, whatever its name (`.tpl`, `.json`, none), sorted by path. */
export async function readRenderedFiles(directory: string): Promise<RenderedFile[]> {
  let entries: string[];
  try {
    entries = (await readdir(directory, { recursive: true, withFileTypes: true }))
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name));
  } catch {
    return [];
  }
  entries.sort();
  return Promise.all(
    entries.map(async (path) => ({ path: relative(directory, path).split(sep).join('/'), text: await readFile(path, 'utf8') })),
  );
}
