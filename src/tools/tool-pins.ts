import { toolSpec } from './manifest.js';
import type { ResolvedTool } from './resolve.js';
import { PINNABLE_TOOLS, REPOSITORY_PINS_FILE, type PinnableTool, type RepositoryPins } from './repository-pins.js';

/** Which file chose a tool's version: the repository's pin file, or helmfile-hydrate's own tools.json. */
export type PinSource = typeof REPOSITORY_PINS_FILE | 'tools.json';

/** The version of one tool a render asks for, and where that choice was made. */
export interface ToolPin {
  version: string;
  pinnedBy: PinSource;
  /** Where the pin was read: `.helmfile-hydrate.yaml on main (1a2b3c4d5e6f)`, a path, or `tools.json`. */
  location: string;
}

export type ToolPins = Record<PinnableTool, ToolPin>;

/** The versions to render with: each tool the repository pins at its version, the others at tools.json's. */
export function toolPins(repositoryPins?: RepositoryPins): ToolPins {
  return Object.fromEntries(
    PINNABLE_TOOLS.map((tool): [PinnableTool, ToolPin] => {
      const pinned = repositoryPins?.versions[tool];
      return [
        tool,
        pinned
          ? { version: pinned, pinnedBy: REPOSITORY_PINS_FILE, location: repositoryPins.location }
          : { version: toolSpec(tool).version, pinnedBy: 'tools.json', location: 'tools.json' },
      ];
    }),
  ) as ToolPins;
}

/** `pinned in .helmfile-hydrate.yaml on main (1a2b3c4d5e6f)`, or `pinned in helmfile-hydrate's tools.json`. */
export function describePin(pin: ToolPin): string {
  return pin.pinnedBy === 'tools.json' ? "pinned in helmfile-hydrate's tools.json" : `pinned in ${pin.location}`;
}

/**
 * One line of a log: `helm 4.3.0 (pinned in .helmfile-hydrate.yaml on main (1a2b3c4d5e6f); cache: /path/helm)`;
 * for a path given explicitly, `helm 4.3.1 (explicit: /usr/bin/helm; 4.3.0 pinned in ...)`.
 */
export function describeResolvedTool(tool: ResolvedTool, pin: ToolPin): string {
  if (tool.source === 'explicit') return `${tool.name} ${tool.version} (explicit: ${tool.path}; ${pin.version} ${describePin(pin)})`;
  return `${tool.name} ${tool.version} (${describePin(pin)}; ${tool.source}: ${tool.path})`;
}
