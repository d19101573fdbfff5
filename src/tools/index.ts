export { childEnvironment } from './child-environment.js';
export { TOOL_NAMES, toolSpec, type ToolName, type ToolSpec } from './manifest.js';
export { prepareToolchain, type Toolchain, type ToolchainOptions } from './toolchain.js';
export {
  defaultCacheDirectory,
  onActionsRunner,
  resolveTool,
  type InstallMethod,
  type ResolvedTool,
  type ResolveToolOptions,
} from './resolve.js';
