import * as core from '@actions/core';
import { compareRevisions, compareSettingsOf } from '../compare/index.js';
import { withPersistedChartCache } from './chart-cache.js';
import { step, type Reached } from './run-context.js';
import { withPersistedSchemaCache } from './schema-cache.js';

/**
 * The compare phases (render, validate, values, diff, risks): the pipeline `helmfile-hydrate diff`
 * runs too, each stage a log group. Results land on the run as each stage ends, so the report shows
 * what the run got to when a later one fails.
 */
export async function compareSides(run: Reached<'toolchain'>): Promise<void> {
  const { pr, toolchain } = run;
  await compareRevisions(
    {
      repository: run.workspace,
      revisions: { base: { ref: pr.baseRef, sha: pr.baseSha }, head: { ref: pr.headRef, sha: pr.headSha } },
      settings: compareSettingsOf(run.settings),
      toolchain,
    },
    {
      stage: (name, task) => step(run, name, task),
      log: (message) => core.info(message),
      warn: (message) => core.warning(message),
      progress: ({ environment, release, message }) => core.info(`${environment}${release ? `/${release}` : ''}: ${message}`),
      aroundRenders: (task) => withPersistedChartCache(toolchain.env, task),
      aroundValidation: withPersistedSchemaCache,
    },
    run,
  );
}
