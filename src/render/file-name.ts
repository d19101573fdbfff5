import { createHash } from 'node:crypto';
import type { RenderedResource } from '../model/manifests.js';
import type { HelmfileRelease } from '../model/release.js';
import { formatResourceKey, type ResourceKey } from '../model/resource-key.js';
import { RenderError } from './errors.js';

/**
 * Rejects a value that could make a path escape `manifests/` or be misread as one:
 * empty, `.`/`..`, path separators, NUL and other control characters.
 */
export function assertSafePathSegment(value: string, what: string): void {
  // Control characters are exactly what this refuses.
  // eslint-disable-next-line no-control-regex
  if (value === '' || value === '.' || value === '..' || /[/\\\u0000-\u001f\u007f]/.test(value)) {
    throw new Error(
      `unsafe ${what} ${JSON.stringify(value)}: it must not be empty, contain "/", "\\", "..", NUL or control characters, since it ` +
        `becomes part of a path under manifests/`,
    );
  }
}

const KIND = /^[A-Za-z][A-Za-z0-9]*$/;
const GROUP = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/;

/** Checks every part of a key that ends up in a file name. */
export function assertSafeResourceKey(key: ResourceKey): void {
  if (!KIND.test(key.kind))
    throw new Error(`unsafe kind ${JSON.stringify(key.kind)}: a kind is letters and digits, starting with a letter`);
  if (key.group && !GROUP.test(key.group)) throw new Error(`unsafe API group ${JSON.stringify(key.group)}: a group is a DNS subdomain`);
  assertSafePathSegment(key.name, `name of ${key.kind}`);
  if (key.namespace !== undefined) assertSafePathSegment(key.namespace, `namespace of ${key.kind} ${JSON.stringify(key.name)}`);
}

/** Characters kept as they are in file names; everything else is percent-encoded. */
const PLAIN = /[A-Za-z0-9._-]/;

function encodeSegment(value: string): string {
  let out = '';
  for (const char of value) {
    out += PLAIN.test(char)
      ? char
      : [...Buffer.from(char, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
  }
  return out;
}

/**
 * The file a resource is written to inside its release directory:
 * `<kind>[.<group>]_<namespace>_<name>.yaml`, or `<kind>[.<group>]_<name>.yaml` when
 * cluster-scoped. Kinds, groups and namespaces never contain `_`, so the parts cannot run
 * into each other; characters outside `[A-Za-z0-9._-]` (`:` in RBAC names) are percent-encoded,
 * which is reversible because `%` is not allowed in Kubernetes names.
 */
export function resourceFileName(key: ResourceKey): string {
  assertSafeResourceKey(key);
  const kind = key.group ? `${key.kind.toLowerCase()}.${key.group}` : key.kind.toLowerCase();
  const parts = key.namespace === undefined ? [kind, key.name] : [kind, key.namespace, key.name];
  const stem = parts.map(encodeSegment).join('_');
  if (stem.length + YAML_EXTENSION.length <= MAX_FILE_NAME_BYTES) return `${stem}${YAML_EXTENSION}`;
  // Percent-encoding makes the stem ASCII, so characters are bytes. `~` is always encoded in a
  // stem, so a shortened name can never equal a full one; the digest keeps shortened names apart.
  const digest = createHash('sha256').update(stem).digest('hex').slice(0, SHORTENED_DIGEST_LENGTH);
  const keep = MAX_FILE_NAME_BYTES - YAML_EXTENSION.length - SHORTENED_DIGEST_LENGTH - 1;
  return `${stem.slice(0, keep).replace(/%[0-9A-F]?$/, '')}~${digest}${YAML_EXTENSION}`;
}

const YAML_EXTENSION = '.yaml';
/**
 * File names are at most 255 bytes on ext4, APFS and NTFS; 200 leaves room for the suffixes git
 * and editors add (`.orig`, `.swp`) and for the staging names render writes beside them.
 */
export const MAX_FILE_NAME_BYTES = 200;
/** 64 bits of SHA-256: a collision among one release's resources is not a practical concern. */
const SHORTENED_DIGEST_LENGTH = 16;

/** Names differing only in case would collide on case-insensitive file systems (macOS, Windows): a render error. */
export function assertDistinctFileNames(environment: string, release: HelmfileRelease, resources: readonly RenderedResource[]): void {
  const seen = new Map<string, RenderedResource>();
  for (const resource of resources) {
    const folded = resource.path.toLowerCase();
    const other = seen.get(folded);
    if (other) {
      throw new RenderError(
        { environment, release: release.name, chart: release.chart },
        `${formatResourceKey(other.key)} and ${formatResourceKey(resource.key)} would be written to the same file ${resource.path} ` +
          `on a case-insensitive file system; rename one of them`,
      );
    }
    seen.set(folded, resource);
  }
}
