export { diffManifests } from './diff-manifests.js';
export { containerImages } from './images.js';
export { normalizeResourcePair, type NormalizedPair } from './normalize.js';
export { toNormalizedYaml } from './normalized-yaml.js';
export { CA_BUNDLE_PLACEHOLDER, differingNoise, stripNoise } from './noise.js';
export { GENERATED_CERTIFICATE_MARKER, maskResourcePair, type MaskedPair, type MaskOptions } from './secret-mask.js';
export { SensitiveValues } from './sensitive-values.js';
export {
  DEFAULT_DIFF_SETTINGS,
  type ChangeStatus,
  type DiffSettings,
  type EnvironmentDiff,
  type ImageChange,
  type ManifestDiff,
  type NoiseCategory,
  type ReleaseCounts,
  type ReleaseDiff,
  type ResourceChange,
} from './types.js';
export { unifiedDiff, type TextPatch } from './unified-diff.js';
