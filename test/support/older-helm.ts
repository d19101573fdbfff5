import { toolSpec } from '../../src/tools/manifest.js';

/**
 * An older helm 4.x than tools.json's, installed by the global setup (`inject('olderHelmPath')`):
 * a repository that pins it in `.helmfile-hydrate.yaml` renders `.Capabilities.HelmVersion` differently.
 */
export const OLDER_HELM_VERSION = '4.3.0';

if (OLDER_HELM_VERSION === toolSpec('helm').version)
  throw new Error(
    `test/support/older-helm.ts: OLDER_HELM_VERSION must differ from tools.json's helm ${OLDER_HELM_VERSION}; pick an older 4.x`,
  );
