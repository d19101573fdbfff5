import { isMap, isScalar, parseDocument } from 'yaml';
import { ENVIRONMENTS_KEY, parseEnvironmentClusters, type EnvironmentCluster } from '../cluster/node-declaration.js';
import type { ToolVersions } from '../model/tool-versions.js';

/**
 * The file at a repository's root that pins the helm and helmfile it renders with (Renovate bumps
 * it, see renovate.json). When a repository has none, the versions in helmfile-hydrate's own
 * tools.json apply.
 */
export const REPOSITORY_PINS_FILE = '.helmfile-hydrate.yaml';

/** The tools a repository may pin: the two that decide what a render produces. */
export const PINNABLE_TOOLS = ['helm', 'helmfile'] as const;
export type PinnableTool = (typeof PINNABLE_TOOLS)[number];

/** What a repository's pin file says, and where it was read (for messages). */
export interface RepositoryPins {
  /** `.helmfile-hydrate.yaml on main (1a2b3c4d5e6f)`, or the file's path. */
  location: string;
  /** The versions the file pins (`X.Y.Z`); a tool it leaves out keeps tools.json's version. */
  versions: ToolVersions;
  /** Each environment's declared nodes and outside StorageClasses (`environments:`); empty when none are declared. */
  environments?: Map<string, EnvironmentCluster>;
}

/** A pin file helmfile-hydrate cannot use; the message quotes the file, the bad entry and the fix. */
export class RepositoryPinsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RepositoryPinsError';
  }
}

const RELEASE_VERSION = /^v?(\d+\.\d+\.\d+)$/;
const EXAMPLE = 'helm: 4.3.1\nhelmfile: 1.8.0';

/**
 * Reads the text of a pin file: a YAML mapping of `helm` and/or `helmfile` to a release version
 * `X.Y.Z` (a leading `v` is dropped). Anything else is refused, naming the entry and the fix.
 */
export function parseRepositoryPins(text: string, location: string): RepositoryPins {
  const document = parseDocument(text);
  if (document.errors.length > 0) {
    throw new RepositoryPinsError(
      `${location} is not valid YAML: ${document.errors[0]!.message}; write one "tool: version" per line, e.g.\n${EXAMPLE}`,
    );
  }
  const root = document.contents;
  if (root === null || (isScalar(root) && root.value === null)) return { location, versions: {}, environments: new Map() };
  if (!isMap(root)) {
    throw new RepositoryPinsError(`${location} must be a mapping of tool to version, e.g.\n${EXAMPLE}`);
  }
  const versions: ToolVersions = {};
  let environments = new Map<string, EnvironmentCluster>();
  for (const item of root.items) {
    const key = isScalar(item.key) ? String(item.key.value) : String(item.key);
    if (key === ENVIRONMENTS_KEY) {
      environments = parseEnvironmentClusters((item.value as { toJSON?: () => unknown } | null)?.toJSON?.() ?? item.value, location);
      continue;
    }
    if (!(PINNABLE_TOOLS as readonly string[]).includes(key)) {
      throw new RepositoryPinsError(
        `${location}: unknown key "${key}"; the file pins ${PINNABLE_TOOLS.join(' and ')} and declares ${ENVIRONMENTS_KEY} (remove "${key}", or fix its spelling)`,
      );
    }
    const value = isScalar(item.value) ? item.value.value : item.value === null ? null : item.value.toJSON();
    const version = typeof value === 'string' ? RELEASE_VERSION.exec(value.trim())?.[1] : undefined;
    if (!version) {
      throw new RepositoryPinsError(
        `${location}: "${key}: ${printed(value)}" is not a release version; write the full version X.Y.Z of the ${key} release, e.g. ` +
          `"${key}: ${key === 'helm' ? '4.3.1' : '1.8.0'}"`,
      );
    }
    versions[key as PinnableTool] = version;
  }
  return { location, versions, environments };
}

/** A value as the file wrote it, for the message (`1.8` read as a number stays `1.8`). */
function printed(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
