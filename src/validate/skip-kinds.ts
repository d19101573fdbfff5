import { formatResourceKey, type ResourceKey } from '../render/resource-key.js';

/**
 * The kinds to skip (`Kind` of any group, or `Kind.group`) as a test: the reason a resource is
 * skipped, undefined when it is not. Schema validation and the API server checks skip the same.
 */
export function skipMatcher(skipKinds: readonly string[]): (resource: { key: ResourceKey }) => string | undefined {
  const entries = skipKinds.map((entry) => entry.trim()).filter(Boolean);
  if (entries.length === 0) return () => undefined;
  return (resource) => {
    const qualified = resource.key.group ? `${resource.key.kind}.${resource.key.group}` : resource.key.kind;
    const match = entries.find((entry) => entry === resource.key.kind || entry === qualified);
    return match ? `kind listed in the kinds to skip (${match}): ${formatResourceKey(resource.key)}` : undefined;
  };
}
