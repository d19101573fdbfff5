import { maskResourcePair } from '../diff/secret-mask.js';
import { resourcesById, type LocatedResource } from '../diff/resource-index.js';
import { SensitiveValues } from '../diff/sensitive-values.js';
import type { EnvironmentManifests } from '../model/manifests.js';

/**
 * One resource of an environment matched by identity (group, kind, namespace, name) between base
 * and head, as the diff matches them. `masked` holds both objects with every secret replaced by a
 * marker (see src/diff/secret-mask.ts): rules quote values from it, never from `object`.
 */
export class ResourcePair {
  private maskedPair: { base: Record<string, unknown> | undefined; head: Record<string, unknown> | undefined } | undefined;

  constructor(
    readonly environment: string,
    readonly base: LocatedResource | undefined,
    readonly head: LocatedResource | undefined,
    private readonly sensitive: SensitiveValues,
  ) {}

  get key() {
    return (this.head ?? this.base)!.resource.key;
  }

  /** The release on head, or on base when the resource is gone from head. */
  get release(): string {
    return (this.head ?? this.base)!.release;
  }

  /** Both sides exist and their files differ. */
  get changed(): boolean {
    return this.base !== undefined && this.head !== undefined && this.base.resource.content !== this.head.resource.content;
  }

  get masked(): { base: Record<string, unknown> | undefined; head: Record<string, unknown> | undefined } {
    this.maskedPair ??= (() => {
      const pair = maskResourcePair(this.base?.resource.object, this.head?.resource.object, this.sensitive, {
        generatedCertificatesAsNoise: true,
      });
      return { base: pair.base as Record<string, unknown> | undefined, head: pair.head as Record<string, unknown> | undefined };
    })();
    return this.maskedPair;
  }
}

/** The pairs of every environment rendered on either side; environments keep their order. */
export function matchResources(
  base: readonly EnvironmentManifests[],
  head: readonly EnvironmentManifests[],
  sensitive = new SensitiveValues(),
): ResourcePair[] {
  const names = [...new Set([...base.map((e) => e.environment), ...head.map((e) => e.environment)])];
  const pairs: ResourcePair[] = [];
  for (const name of names) {
    const before = resourcesById(base.find((e) => e.environment === name));
    const after = resourcesById(head.find((e) => e.environment === name));
    for (const id of new Set([...before.keys(), ...after.keys()]))
      pairs.push(new ResourcePair(name, before.get(id), after.get(id), sensitive));
  }
  return pairs;
}
