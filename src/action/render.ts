import * as core from '@actions/core';
import type { ActionSettings } from '../inputs.js';
import type { RenderError, RenderProgress } from '../render/index.js';
import { renderRevision, type RevisionRender, type RevisionSettings } from '../revision/index.js';
import type { Side } from '../side.js';
import { withPersistedChartCache } from './chart-cache.js';
import type { Reached, RunContext } from './run-context.js';

/** How the action renders a commit, from its inputs (pure). */
export function revisionSettings(settings: ActionSettings): RevisionSettings {
  return {
    helmfile: settings.helmfile,
    environments: settings.environments,
    clusterScopedKinds: settings.clusterScopedKinds,
    kubeVersion: settings.kubernetesVersion || undefined,
    committedManifests: settings.outputDir,
    chartMirror: settings.chartMirror,
  };
}

/** Every render failure so far, base first, each tagged with its side. */
export function renderFailures(run: RunContext): RenderError[] {
  return [...(run.renders?.base.failures ?? []), ...(run.renders?.head.failures ?? [])];
}

/** The phase's name in the log: both commits, short. */
export function renderPhaseName(run: RunContext): string {
  return `render base (${run.pr.baseSha.slice(0, 12)}) and head (${run.pr.headSha.slice(0, 12)})`;
}

/**
 * The render phase: both sides at once, as the CLI does. Each release whose fingerprint matches
 * is read from its side's committed manifests, the others rendered; a failing environment is
 * reported and left out, the others go on.
 */
export async function renderSides(run: Reached<'toolchain'>): Promise<Record<Side, RevisionRender>> {
  const { pr, toolchain } = run;
  const settings = revisionSettings(run.settings);
  const progress: RenderProgress = ({ environment, release, message }) =>
    core.info(`${environment}${release ? `/${release}` : ''}: ${message}`);
  const [base, head] = await withPersistedChartCache(toolchain.env, () =>
    Promise.all([
      renderRevision(run.workspace, 'base', pr.baseSha, settings, toolchain, progress),
      renderRevision(run.workspace, 'head', pr.headSha, settings, toolchain, progress),
    ]),
  );
  return { base, head };
}
