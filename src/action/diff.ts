import * as core from '@actions/core';
import { diffManifests } from '../diff/index.js';
import type { EnvironmentManifests, RenderFailure } from '../render/index.js';
import { renderFailures } from './render.js';
import type { DiffResult, Reached } from './run-context.js';
import { resourceCounts } from './verdict.js';

/**
 * The environments the diff compares on one side: an environment that failed on either side is
 * left out (a missing side would read as "everything removed"), and a failure that names no
 * environment leaves out all of them (pure).
 */
export function comparableEnvironments(
  environments: readonly EnvironmentManifests[],
  failures: readonly RenderFailure[],
): EnvironmentManifests[] {
  const failed = new Set(failures.map((failure) => failure.context.environment ?? '*'));
  return failed.has('*') ? [] : environments.filter((environment) => !failed.has(environment.environment));
}

/** The diff phase: base against head, over the environments that rendered on both sides. */
export function diffSides(run: Reached<'renders'>): DiffResult {
  const { settings } = run;
  const { base, head } = run.renders;
  const failures = renderFailures(run);
  const compared = { base: comparableEnvironments(base.environments, failures), head: comparableEnvironments(head.environments, failures) };
  const result = diffManifests(compared.base, compared.head, { contextLines: settings.diffContext, noiseFilter: settings.noiseFilter });
  const counts = resourceCounts(result, head.environments);
  core.info(`${counts.added} added, ${counts.changed} changed, ${counts.removed} removed of ${counts.total} rendered resources`);
  return { result, counts, ...compared };
}
