import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root (this file is test/support/shared-charts.ts). */
const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A directory holding the platform's upstream charts (`<repository>/index.yaml` and archives) elsewhere. */
export const SHARED_CHARTS_ENV = 'HYDRATE_SHARED_CHARTS';

/** The first repository of the platform's helmfile: its index says the directory is a set of chart repositories. */
const PROBE = join('cilium', 'index.yaml');

/**
 * The upstream charts the platform pins (`<project>/../shared/charts/<repository>/`, see its
 * README), read at test time only: `$HYDRATE_SHARED_CHARTS`, else `../shared/charts` beside the
 * project; undefined when there is neither.
 *
 * Without them the tests that render the real platform are skipped, naming what is missing,
 * rather than fetching the charts from the repositories the helmfile declares: committed
 * manifests/ are the render of exactly these archives, which (cilium apart) were packaged from
 * each project's source tag, so their digests differ from the published archives' and there is
 * nothing to pin a download against; charts fetched from upstream could neither be verified nor
 * be relied on to reproduce manifests/ byte for byte.
 */
export function locateSharedCharts(env: NodeJS.ProcessEnv = process.env, projectRoot = PROJECT_ROOT): string | undefined {
  const explicit = env[SHARED_CHARTS_ENV];
  if (explicit) {
    if (!existsSync(join(explicit, PROBE)))
      throw new Error(
        `${SHARED_CHARTS_ENV}=${explicit} has no ${PROBE}: point it at the directory holding <repository>/index.yaml, or unset it`,
      );
    return explicit;
  }
  const beside = resolve(projectRoot, '..', 'shared', 'charts');
  return existsSync(join(beside, PROBE)) ? beside : undefined;
}

export const SHARED_CHARTS = locateSharedCharts();

/** Why the tests on the platform's upstream charts do not run, and how to provide the charts. */
export const SHARED_CHARTS_MISSING = `the platform's upstream charts are not at ${resolve(PROJECT_ROOT, '..', 'shared', 'charts')}: put them there (one directory per Helm repository of helmfile/helmfile.yaml.gotmpl with index.yaml and the pinned chart archives) or set ${SHARED_CHARTS_ENV} to such a directory`;

/** A suite title that, when the charts are missing, says why its tests are skipped. */
export function needsSharedCharts(title: string): string {
  return SHARED_CHARTS ? title : `${title} (skipped: ${SHARED_CHARTS_MISSING})`;
}

/** The charts for scripts and benches that cannot do without them. */
export function requireSharedCharts(): string {
  if (!SHARED_CHARTS) throw new Error(SHARED_CHARTS_MISSING);
  return SHARED_CHARTS;
}
