import { apiGroup } from '../model/resource-key.js';
import type { ResourcePair } from './resource-pairs.js';
import type { Risk } from './types.js';
import { isRecord, valueAt, type JsonObject } from './values.js';

/**
 * What a CustomResourceDefinition change does to the custom resources of it, from the
 * apiextensions-apiserver's rules (`ValidateCustomResourceDefinitionUpdate`,
 * `ValidateCustomResourceDefinitionStoredVersions`) and the API server's routing: a version that
 * is not served has no endpoint, so applying a resource of it fails with "no matches for kind".
 */

interface DefinitionVersions {
  group: string;
  kind: string;
  name: string;
  served: Set<string>;
  listed: Set<string>;
  storage?: string;
}

export function definitionVersions(object: JsonObject | undefined): DefinitionVersions | undefined {
  if (!object || object.kind !== 'CustomResourceDefinition') return undefined;
  const group = valueAt(object, 'spec.group');
  const kind = valueAt(object, 'spec.names.kind');
  const versions = valueAt(object, 'spec.versions');
  if (typeof group !== 'string' || typeof kind !== 'string' || !Array.isArray(versions)) return undefined;
  const result: DefinitionVersions = {
    group,
    kind,
    name: String(valueAt(object, 'metadata.name') ?? ''),
    served: new Set(),
    listed: new Set(),
  };
  for (const version of versions) {
    if (!isRecord(version) || typeof version.name !== 'string') continue;
    result.listed.add(version.name);
    if (version.served !== false) result.served.add(version.name);
    if (version.storage === true) result.storage = version.name;
  }
  return result;
}

/** CRD version risks of one environment's pairs (every pair must be of the same environment). */
export function crdVersionRisks(pairs: readonly ResourcePair[]): Risk[] {
  return pairs
    .filter((pair) => pair.key.kind === 'CustomResourceDefinition' && pair.key.group === 'apiextensions.k8s.io')
    .flatMap((pair) => {
      const base = definitionVersions(pair.base?.resource.object);
      const head = definitionVersions(pair.head?.resource.object);
      const definition = head ?? base;
      if (!definition) return [];
      const resources = pairs.filter((other) => other.head && other.key.kind === definition.kind && other.key.group === definition.group);
      if (!head) return base ? deletedDefinitionRisks(pair, base, resources) : [];
      return [...unservedVersionRisks(base, head, resources), ...storageVersionRisks(pair, base, head)];
    });
}

/** A risk of the CRD itself (its environment, release and key). */
function definitionRisk(pair: ResourcePair, partial: Omit<Risk, 'environment' | 'release' | 'resource'>): Risk {
  return { environment: pair.environment, release: pair.release, resource: pair.key, ...partial };
}

/** The CRD is gone from head while resources of it are still rendered. */
function deletedDefinitionRisks(pair: ResourcePair, base: DefinitionVersions, resources: readonly ResourcePair[]): Risk[] {
  if (resources.length === 0) return [];
  return [
    definitionRisk(pair, {
      rule: 'crd-deleted-with-resources',
      severity: 'high',
      message:
        `the CustomResourceDefinition ${base.name} is removed while ${resources.length} ${base.kind} ` +
        `resource${resources.length === 1 ? ' is' : 's are'} still rendered (${names(resources)}); deleting ` +
        `a CRD deletes every resource of it, and applying them fails`,
      fix:
        'keep the CRD (charts often move CRDs to a separate chart: add that release first), or remove the resources too if ' +
        'they are meant to go',
    }),
  ];
}

/** Resources rendered with a version the head CRD does not serve, where the change broke them. */
function unservedVersionRisks(base: DefinitionVersions | undefined, head: DefinitionVersions, resources: readonly ResourcePair[]): Risk[] {
  return resources.flatMap((resource): Risk[] => {
    const apiVersion = resource.head?.resource.apiVersion ?? '';
    const version = apiVersion.split('/').pop() ?? '';
    if (apiGroup(apiVersion) !== head.group || head.served.has(version)) return [];
    const newlyBroken = !base || base.served.has(version) || resource.base?.resource.apiVersion !== apiVersion;
    if (!newlyBroken) return [];
    return [
      {
        rule: 'crd-version-not-served',
        severity: 'high',
        environment: resource.environment,
        release: resource.release,
        resource: resource.key,
        field: 'apiVersion',
        change: {
          from: base?.served.has(version) ? `${version} served` : `${resource.base?.resource.apiVersion ?? '(new)'}`,
          to: head.listed.has(version) ? `${version} not served` : `${version} removed from the CRD`,
        },
        message:
          `the CRD ${head.name} on head does not serve ${head.group}/${version} ` +
          `(served: ${[...head.served].join(', ') || 'none'}), but this resource is rendered with it; the sync ` +
          `fails with "no matches for kind"`,
        fix:
          `render the resource with a served version ` +
          `(${[...head.served].map((v) => `${head.group}/${v}`).join(', ') || 'none'}); the chart's ` +
          `values usually have a switch, or pin the chart`,
      },
    ];
  });
}

/** The storage version removed from the CRD (the API server refuses it), or only changed. */
function storageVersionRisks(pair: ResourcePair, base: DefinitionVersions | undefined, head: DefinitionVersions): Risk[] {
  if (base?.storage && !head.listed.has(base.storage)) {
    return [
      definitionRisk(pair, {
        rule: 'crd-stored-version-removed',
        severity: 'high',
        field: 'spec.versions',
        change: { from: `${base.storage} (storage)`, to: `${[...head.listed].join(', ')}` },
        message:
          `version ${base.storage} is removed from the CRD ${head.name}, but objects in etcd are stored as ${base.storage} ` +
          `(it is in status.storedVersions); the API server rejects the CRD until no stored object uses it`,
        fix:
          `first upgrade to a chart version that still lists ${base.storage} and makes ${head.storage ?? 'the new version'} ` +
          `the storage version, migrate the stored objects (e.g. kube-storage-version-migrator, or read and ` +
          `write each), remove ${base.storage} from status.storedVersions, then take this version`,
      }),
    ];
  }
  if (base?.storage && head.storage && base.storage !== head.storage) {
    return [
      definitionRisk(pair, {
        rule: 'crd-storage-version-changed',
        severity: 'low',
        field: 'spec.versions[].storage',
        change: { from: base.storage, to: head.storage },
        message:
          `the CRD ${head.name} stores new objects as ${head.storage} instead of ${base.storage}; existing objects stay ` +
          `stored as ${base.storage} until rewritten`,
        fix: `nothing now; before a later version drops ${base.storage}, migrate the stored objects`,
      }),
    ];
  }
  return [];
}

function names(pairs: readonly ResourcePair[]): string {
  const shown = pairs.slice(0, 3).map((pair) => `${pair.key.namespace ? `${pair.key.namespace}/` : ''}${pair.key.name}`);
  return pairs.length > 3 ? `${shown.join(', ')}, …` : shown.join(', ');
}
