import type { HelmfileState } from '../model/helmfile-state.js';

/** Where the values check reads one release's chart: the folder `helmfile fetch` of `environment` leaves for `release`. */
export interface ChartSource {
  environment: string;
  release: string;
}

/** What `helmfile fetch` of one environment fetches, and where each of its releases' charts is read. */
export interface EnvironmentFetch {
  /** `all`: a plain `helmfile fetch`; otherwise only these releases (none: no fetch at all). */
  releases: 'all' | string[];
  /** Release -> where its chart is read; a release not listed is read from this environment's own fetch. */
  sources: Map<string, ChartSource>;
}

/** A version helm resolves to itself: not a range (`~1.2`, `>=1`, `1.x`), which a fetch moments later might resolve anew. */
const EXACT_VERSION = /^v?\d+\.\d+\.\d+([-+][0-9A-Za-z.+-]*)?$/;

/**
 * Which environment fetches which chart for the values check (pure). Environments usually deploy
 * the same chart versions, and a chart's values are the same whichever environment fetched it:
 * a release whose chart is one an earlier environment fetches — the same repository (name and
 * URL), chart and exact version, or the same local path in the same helmfile — reads that
 * environment's copy instead of fetching it again. The first environment, and any environment
 * without the render's `build --embed-values` states, fetches everything, as before.
 */
export function chartFetchPlan(
  environments: ReadonlyArray<{ environment: string; states?: readonly HelmfileState[] }>,
): Map<string, EnvironmentFetch> {
  const plan = new Map<string, EnvironmentFetch>();
  /** Chart identity -> the environment and release that fetch it. */
  const owners = new Map<string, ChartSource>();
  for (const { environment, states } of environments) {
    const charts = states?.length ? installedCharts(states) : undefined;
    if (!charts) {
      plan.set(environment, { releases: 'all', sources: new Map() });
      continue;
    }
    const sources = new Map<string, ChartSource>();
    const own: string[] = [];
    for (const { release, identity } of charts) {
      const owner = identity === undefined ? undefined : owners.get(identity);
      if (owner) {
        sources.set(release, owner);
        continue;
      }
      own.push(release);
      if (identity !== undefined) owners.set(identity, { environment, release });
    }
    // Nothing shared: a plain fetch, exactly as without the plan.
    plan.set(environment, { releases: sources.size === 0 ? 'all' : own, sources });
  }
  return plan;
}

/** Release keys with which helmfile changes a chart before helm sees it (chartify): such a chart is never shared. */
const CHART_CHANGING_KEYS = ['dependencies', 'jsonPatches', 'strategicMergePatches', 'transformers', 'adopt'];

function changesChart(release: Record<string, unknown>): boolean {
  return CHART_CHANGING_KEYS.some((key) => {
    const value = release[key];
    return value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0);
  });
}

/** Each installed release with what identifies its chart's content (undefined: nothing safe to share). */
function installedCharts(states: readonly HelmfileState[]): Array<{ release: string; identity: string | undefined }> {
  return states.flatMap((state, stateIndex) =>
    state.releases
      .filter((release) => release.installed !== false)
      .map((release) => {
        const chart = typeof release.chart === 'string' ? release.chart : undefined;
        const version = typeof release.version === 'string' ? release.version : undefined;
        const repository = chart
          ? state.repositories?.find((candidate) => candidate.name && chart.startsWith(`${candidate.name}/`))
          : undefined;
        const local = chart !== undefined && /^\.{0,2}\//.test(chart);
        const fixed = !changesChart(release) && (local || (version !== undefined && EXACT_VERSION.test(version)));
        // A local path means the same files only within the same helmfile (the state's index); a
        // repository chart, the same archive only at the same URL.
        const identity =
          chart && fixed && (local || repository?.url)
            ? JSON.stringify(
                local
                  ? ['local', stateIndex, chart]
                  : ['repository', repository!.name, repository!.url, repository!.oci ?? false, chart, version],
              )
            : undefined;
        return { release: release.name, identity };
      }),
  );
}
