import * as core from '@actions/core';
import { compareRevisions, type SideCheck } from '../compare/compare.js';
import { imageCheck } from '../images/image-check-stage.js';
import { resolveTool } from '../tools/resolve.js';
import { withPersistedImagePlatforms } from './image-cache.js';
import { defaultImagePlatformsDirectory } from '../images/registry-lookup.js';
import { compareSettingsOf } from '../compare/settings.js';
import type { ActionSettings } from '../inputs.js';
import { startRunClusters, type RunClusters } from '../cluster/run-clusters.js';
import { environmentArchitectures, environmentCluster } from '../cluster/node-declaration.js';
import { apiServerSyncCheck } from '../apiserver/sync-check-stage.js';
import { DEFAULT_KUBERNETES_VERSION } from '../validate/schemas/kubernetes-version.js';
import { envtestArchiveDirectory, withPersistedEnvtestArchives } from './envtest-cache.js';
import { withPersistedChartCache } from './chart-cache.js';
import { step, type Reached } from './run-context.js';
import { withPersistedSchemaCache } from './schema-cache.js';

/**
 * The compare phases (render, validate, values, diff, risks): the pipeline `helmfile-hydrate diff`
 * runs too, each stage a log group. Results land on the run as each stage ends, so the report shows
 * what the run got to when a later one fails.
 */
export async function compareSides(run: Reached<'toolchain'>): Promise<void> {
  const servers = run.settings.apiServer ? startActionApiServers(run.settings) : undefined;
  try {
    await withPersistedEnvtestArchives(() =>
      run.settings.imageCheck ? withPersistedImagePlatforms(() => compareWithChecks(run, servers)) : compareWithChecks(run, servers),
    );
  } finally {
    await servers?.pool.close();
  }
}

async function compareWithChecks(run: Reached<'toolchain'>, servers: RunClusters | undefined): Promise<void> {
  const { pr, toolchain } = run;
  // The nodes the head declares are the nodes it will run on: the rehearsal's, and the architectures the image check asks for.
  const declared = toolchain.pinFile?.environments ?? new Map();
  const clusterOf = (environment: string) => environmentCluster(declared, environment);
  const checks: SideCheck[] = servers
    ? [
        apiServerSyncCheck(servers.pool, {
          version: servers.version,
          skipKinds: run.settings.skipKinds,
          ...(servers.level === 'scheduling' ? { rehearsal: clusterOf } : {}),
        }),
      ]
    : [];
  if (run.settings.imageCheck)
    checks.push(actionImageCheck(run.settings, (environment) => environmentArchitectures(clusterOf(environment))));
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
      checks,
    },
    run,
  );
}

/** The servers of the sync check; the first starts now, while the renders run. */
function startActionApiServers(settings: ActionSettings): RunClusters {
  return startRunClusters(
    {
      kubernetesVersion: settings.kubernetesVersion || DEFAULT_KUBERNETES_VERSION,
      installMethod: settings.toolInstallMethod,
      archiveDirectory: envtestArchiveDirectory(),
      log: (message) => core.info(`local cluster: ${message}`),
    },
    settings.rehearsal ? 'scheduling' : 'api-server',
  );
}

/** The image check of the action: crane from the runner's tool cache, platforms cached by digest across runs. */
function actionImageCheck(settings: ActionSettings, architectures: (environment: string) => readonly string[]): SideCheck {
  return imageCheck({
    architectures,
    crane: async () =>
      (await resolveTool('crane', { installMethod: settings.toolInstallMethod, log: (message) => core.info(`images: ${message}`) })).path,
    cacheDirectory: defaultImagePlatformsDirectory(),
    registryAuth: settings.registryAuth || undefined,
  });
}
