export { buildEnvironmentManifests, type ReleaseRenderOutput, type RenderedFile } from './documents.js';
export { declaredEnvironments, discoverEnvironments, locateHelmfile } from './environments.js';
export { RenderError, type RenderErrorContext } from './errors.js';
export { assertSafePathSegment, resourceFileName } from './file-name.js';
export { writeManifestTree } from './manifest-tree.js';
export type { HelmfileRelease } from './release.js';
export { hydrate, renderEnvironment, renderEnvironments, RenderFailure, type RenderProgress, type RenderProgressEvent, type RenderSettings, type RenderToolchain } from './render.js';
export type { EnvironmentManifests, ReleaseManifests, RenderedResource } from './resource.js';
export { apiGroup, compareResourceKeys, formatResourceKey, resourceId, type ResourceKey } from './resource-key.js';
