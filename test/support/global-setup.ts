import type { TestProject } from 'vitest/node';
import { prepareToolchain } from '../../src/tools/toolchain.js';
import { resolveTool } from '../../src/tools/resolve.js';
import { resolveApiServer } from '../../src/tools/api-server-resolve.js';
import { resolveKubeControllers } from '../../src/tools/kube-controllers.js';
import { DEFAULT_KUBERNETES_VERSION } from '../../src/validate/schemas/kubernetes-version.js';
import { dirname } from 'node:path';
import { startChartRepository, type ChartRepository } from './chart-repository.js';
import { isolatedHelmEnv } from './helm-home.js';
import { SHARED_CHARTS, SHARED_CHARTS_MISSING } from './shared-charts.js';
import { installRenovate } from '../platform/support/renovate.js';
import { OLDER_HELM_VERSION } from './older-helm.js';

declare module 'vitest' {
  export interface ProvidedContext {
    helmPath: string;
    helmfilePath: string;
    /** helm OLDER_HELM_VERSION, an older 4.x than tools.json's: a repository pinning it renders differently. */
    olderHelmPath: string;
    chartRepositoryUrl: string;
    /** Directory holding kube-apiserver and etcd of the default Kubernetes version. */
    apiServerDirectory: string;
    /** The pinned crane: the image check's registry client, and the tests' OCI registry (`crane registry serve`). */
    cranePath: string;
  }
}

/**
 * Runs once per test run: installs the pinned helm and helmfile and an older helm (from the
 * verified release archive, else with the Go toolchain on the first run; minutes) and serves the fixture charts from a real Helm repository on 127.0.0.1.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started = Date.now();
  const log = (message: string) => process.stderr.write(`[tools] ${message}\n`);
  // Every tool a test runs is installed here, before any test's timeout starts ticking.
  const [toolchain, apiServer, olderHelm, crane] = await Promise.all([
    prepareToolchain({ log }),
    resolveApiServer({ kubernetesVersion: DEFAULT_KUBERNETES_VERSION, log }),
    // Built (or downloaded) into the cache at its own version, as a repository pinning it gets it.
    resolveTool('helm', { version: OLDER_HELM_VERSION, log }),
    resolveTool('crane', { log }),
    resolveTool('kubeconform', { log }),
    resolveTool('actionlint', { log }),
    installRenovate({ log }),
    // The rehearsal level of the local cluster: the controllers and the scheduler of the same release, and KWOK.
    resolveKubeControllers({ kubernetesVersion: DEFAULT_KUBERNETES_VERSION, log }),
    resolveTool('kwok', { log }),
  ]);
  process.stderr.write(
    `[tools] helm ${toolchain.helm.version} (${toolchain.helm.source}), helmfile ${toolchain.helmfile.version} (${toolchain.helmfile.source}) in ${Date.now() - started} ms\n`,
  );
  // Said once per run, not only in the titles of skipped suites, which the default reporter hides.
  if (!SHARED_CHARTS) process.stderr.write(`[charts] tests on the platform's upstream charts are skipped: ${SHARED_CHARTS_MISSING}\n`);
  const helmHome = await isolatedHelmEnv();
  let repository: ChartRepository;
  try {
    repository = await startChartRepository(toolchain.helm.path, undefined, { ...toolchain.env, ...helmHome.env });
  } finally {
    await helmHome.remove();
  }
  project.provide('helmPath', toolchain.helm.path);
  project.provide('helmfilePath', toolchain.helmfile.path);
  project.provide('olderHelmPath', olderHelm.path);
  project.provide('chartRepositoryUrl', repository.url);
  project.provide('apiServerDirectory', dirname(apiServer.paths['kube-apiserver']));
  project.provide('cranePath', crane.path);
  return () => repository.close();
}
