import type { SideCheck } from '../compare/compare.js';
import { imageCheck, type ImageCheckOptions } from '../images/image-check-stage.js';
import { defaultImagePlatformsDirectory } from '../images/registry-lookup.js';
import { resolveTool } from '../tools/resolve.js';
import type { Terminal } from './terminal.js';

/**
 * The image check's options on the command line: crane from the tool cache (installed on first
 * use), platforms cached by digest beside the tools, the user's own docker login for private
 * registries (crane reads `~/.docker/config.json`).
 */
export function cliImageCheckOptions(terminal: Terminal, architectures?: (environment: string) => readonly string[]): ImageCheckOptions {
  return {
    ...(architectures ? { architectures } : {}),
    crane: async () => (await resolveTool('crane', { log: (message) => terminal.err(`images: ${message}`) })).path,
    cacheDirectory: defaultImagePlatformsDirectory(),
  };
}

/** The image check as a stage of `diff`. */
export function cliImageCheck(terminal: Terminal, architectures: (environment: string) => readonly string[]): SideCheck {
  return imageCheck(cliImageCheckOptions(terminal, architectures));
}
