export { buildEnvironmentManifests, type ReleaseRenderOutput, type RenderedFile } from './documents.js';
export { declaredEnvironments, discoverEnvironments, locateHelmfile } from './environments.js';
export { RenderError, renderErrors, renderErrorsOf, withSide, type RenderErrorContext, type RenderFailure } from './errors.js';
export { assertSafePathSegment, resourceFileName } from './file-name.js';
export {
  readManifestSource,
  readManifestTree,
  type ManifestFileProblem,
  type ManifestTreeSource,
  type ReadManifestTreeOptions,
} from './committed-manifests.js';
export { assertOutputDirectory, type OutputDirectoryContext } from './output-directory.js';
export {
  ForeignFileError,
  planManifestTree,
  staleEnvironments,
  staleEnvironmentsOf,
  writeManifestTree,
  type EnvironmentPlan,
  type ExistingManifestTree,
  type ManifestTreePlan,
  type WriteManifestTreeOptions,
} from './manifest-tree.js';
export { formatOwnershipRecord, OWNERSHIP_FILE, parseOwnershipRecord, readOwnershipRecord, type OwnershipRecord } from './ownership.js';
export { kubernetesJsonReplacer, kubernetesValue, parseKubernetesDocument, resolvePlainScalar } from './kubernetes-yaml.js';
export type { HelmfileRelease } from '../model/release.js';
export { compareWithCommitted, DIFFERENCE_WORDS, type ManifestDifference } from './manifest-check.js';
export {
  checkManifests,
  hydrate,
  renderEnvironment,
  renderEnvironments,
  renderEnvironmentsSettled,
  type SettledRender,
  type RenderProgress,
  type RenderProgressEvent,
  type RenderSettings,
  type RenderToolchain,
} from './render.js';
export type { EnvironmentManifests, ReleaseManifests, RenderedResource } from '../model/manifests.js';
export { apiGroup, compareResourceKeys, formatResourceKey, resourceId, type ResourceKey } from '../model/resource-key.js';
export { ChartMirrorError, parseChartMirror, startChartMirror, type ActiveChartMirror, type ChartMirrorSettings } from './chart-mirror.js';
