export { childEnvironment } from './child-environment.js';
export { specAtVersion, TOOL_NAMES, toolSpec, type ToolName, type ToolSpec } from './manifest.js';
export { prepareToolchain, type Toolchain, type ToolchainOptions } from './toolchain.js';
export {
  PINNABLE_TOOLS,
  parseRepositoryPins,
  REPOSITORY_PINS_FILE,
  RepositoryPinsError,
  type PinnableTool,
  type RepositoryPins,
  type ToolVersions,
} from './repository-pins.js';
export { readRepositoryPins, readRepositoryPinsAt } from './repository-pins-file.js';
export { describePin, describeResolvedTool, toolPins, type PinSource, type ToolPin, type ToolPins } from './tool-pins.js';
export {
  defaultCacheDirectory,
  onActionsRunner,
  resolveTool,
  type InstallMethod,
  type ResolvedTool,
  type ResolveToolOptions,
} from './resolve.js';
