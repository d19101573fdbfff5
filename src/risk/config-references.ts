import { parse as parseYaml } from 'yaml';
import { isCredentialName } from '../diff/credential-keys.js';
import { formatResourceKey } from '../model/resource-key.js';
import { configReferences, podTemplate, type ConfigReference } from './pod-templates.js';
import type { ResourcePair } from './resource-pairs.js';
import type { Risk } from './types.js';
import { deepEqual, isRecord, quoteValue, type JsonObject } from './values.js';

/**
 * The CSI incident: a chart upgrade renamed a key in the config file its driver reads from a
 * ConfigMap; the manifests applied, the driver did not start. These rules name what a workload
 * reads that the change removes or reshapes. Secrets are named by key only, never by value.
 */

/** Lines of a structured diff shown under one risk; the diff of a large config is cut there. */
export const MAX_STRUCTURED_DIFF_LINES = 20;

interface Reader {
  pair: ResourcePair;
  reference: ConfigReference;
}

/** ConfigMap/Secret risks of one environment's pairs. */
export function configRisks(pairs: readonly ResourcePair[]): Risk[] {
  const readers = configReaders(pairs);
  return pairs.flatMap((pair) => {
    if (pair.key.group !== '' || (pair.key.kind !== 'ConfigMap' && pair.key.kind !== 'Secret') || !pair.base) return [];
    if (pair.head && !pair.changed) return [];
    const users = readers.get(`${pair.key.kind}|${pair.key.namespace ?? ''}|${pair.key.name}`) ?? [];
    return [...removedKeyRisks(pair, users), ...embeddedConfigRisks(pair, users)];
  });
}

/** The workloads reading each ConfigMap or Secret, by `kind|namespace|name`, as the head renders them. */
function configReaders(pairs: readonly ResourcePair[]): Map<string, Reader[]> {
  const readers = new Map<string, Reader[]>();
  for (const pair of pairs) {
    if (!pair.head) continue;
    const template = podTemplate(pair.key.group, pair.key.kind, pair.head.resource.object);
    for (const reference of configReferences(template?.spec)) {
      const id = `${reference.kind}|${pair.key.namespace ?? ''}|${reference.name}`;
      readers.set(id, [...(readers.get(id) ?? []), { pair, reference }]);
    }
  }
  return readers;
}

/** A workload that reads a ConfigMap or Secret the change removes, or a key of it the change removes. */
function removedKeyRisks(config: ResourcePair, users: readonly Reader[]): Risk[] {
  if (!config.base) return [];
  const kind = config.key.kind;
  const keysBase = dataKeys(config.base.resource.object);
  const keysHead = config.head ? dataKeys(config.head.resource.object) : new Set<string>();
  const removed = [...keysBase].filter((key) => !keysHead.has(key)).sort();
  const added = [...keysHead].filter((key) => !keysBase.has(key)).sort();
  const renamedHint = removed.length === 1 && added.length === 1 ? ` (renamed to ${added[0]}?)` : '';
  return users.flatMap(({ pair: workload, reference }): Risk[] => {
    const where = `${formatResourceKey(workload.key)} (${reference.via})`;
    if (!config.head) {
      if (reference.optional) return [];
      return [
        configKeyRisk(
          workload,
          'high',
          `the ${kind} ${config.key.name} is removed, but ${where} still reads it; new pods fail to start ` +
            `(CreateContainerConfigError or a volume that cannot mount)`,
          `keep the ${kind}, or change the workload to stop reading it`,
        ),
      ];
    }
    if (reference.key !== undefined) {
      if (!removed.includes(reference.key) || reference.optional) return [];
      return [
        configKeyRisk(
          workload,
          'high',
          `${where} reads key ${reference.key} of the ${kind} ${config.key.name}, which the change removes${renamedHint}; new pods ` +
            `fail to start`,
          `change the reference to a key that exists (${[...keysHead].sort().join(', ') || 'none'}) or keep the key`,
        ),
      ];
    }
    if (removed.length === 0) return [];
    return [
      configKeyRisk(
        workload,
        'medium',
        `${where} reads every key of the ${kind} ${config.key.name}; the change removes ${removed.join(', ')}${renamedHint}: the ` +
          `file or variable disappears from the pods`,
        'check that the new version of the software no longer needs it (its release notes), or keep the key',
      ),
    ];
  });
}

function configKeyRisk(workload: ResourcePair, severity: Risk['severity'], message: string, fix: string): Risk {
  return {
    rule: 'config-key-removed',
    severity,
    environment: workload.environment,
    release: workload.release,
    resource: workload.key,
    message,
    fix,
  };
}

/**
 * A config file in a ConfigMap a workload of the render reads that loses settings. Only files read
 * here, and only when settings go: a dashboard ConfigMap a sidecar loads by label, or a changed
 * value, is what the diff shows; this is about a format change.
 */
function embeddedConfigRisks(pair: ResourcePair, users: readonly Reader[]): Risk[] {
  if (pair.key.kind !== 'ConfigMap' || !pair.base || !pair.head || users.length === 0) return [];
  // Parsed from the raw text (masking markers break YAML); credential leaves are masked when quoted,
  // and the diff has recorded the values it masked here, so reports scrub any that slip through.
  const dataBase = isRecord(pair.base.resource.object.data) ? pair.base.resource.object.data : {};
  const dataHead = isRecord(pair.head.resource.object.data) ? pair.head.resource.object.data : {};
  const readBy = [...new Set(users.map((user) => formatResourceKey(user.pair.key)))];
  return Object.keys(dataBase)
    .filter((key) => key in dataHead)
    .sort()
    .flatMap((key): Risk[] => {
      const before = structured(dataBase[key]);
      const after = structured(dataHead[key]);
      if (before === undefined || after === undefined || deepEqual(before, after)) return [];
      const changes = structuralDiff(before, after, '');
      const removedPaths = changes.filter((change) => change.startsWith('- '));
      if (removedPaths.length === 0) return [];
      const shown = changes.slice(0, MAX_STRUCTURED_DIFF_LINES);
      if (changes.length > shown.length) shown.push(`… ${changes.length - shown.length} more`);
      return [
        {
          rule: 'embedded-config-changed',
          severity: 'medium',
          environment: pair.environment,
          release: pair.release,
          resource: pair.key,
          field: `data.${key}`,
          message:
            `the config file ${key} changes shape (${removedPaths.length} setting${removedPaths.length === 1 ? '' : 's'} ` +
            `removed or renamed); read by ${readBy.join(', ')}`,
          fix:
            'check that the software version deployed with it reads the new format (its release notes); old and new pods read the ' +
            'file during the rollout',
          details: shown,
        },
      ];
    });
}

function dataKeys(object: JsonObject): Set<string> {
  const keys = new Set<string>();
  for (const field of ['data', 'binaryData', 'stringData'])
    if (isRecord(object[field])) for (const key of Object.keys(object[field] as JsonObject)) keys.add(key);
  return keys;
}

/** The parsed content of a config file held in a ConfigMap value: a JSON or YAML map or list; undefined otherwise. */
export function structured(value: unknown): unknown {
  if (typeof value !== 'string' || (!value.includes('\n') && !/^\s*[[{]/.test(value))) return undefined;
  try {
    const parsed: unknown = /^\s*[[{]/.test(value) ? JSON.parse(value) : parseYaml(value);
    return typeof parsed === 'object' && parsed !== null ? parsed : undefined;
  } catch {
    try {
      const parsed: unknown = parseYaml(value);
      return typeof parsed === 'object' && parsed !== null ? parsed : undefined;
    } catch {
      return undefined;
    }
  }
}

/** A value of an embedded config file as quoted: `<secret>` under a credential-like key or holding a secret. */
function quoteLeaf(key: string, value: unknown): string {
  if (isCredentialName(key) && (typeof value === 'string' || typeof value === 'number')) return '<secret>';
  const text = quoteValue(value);
  return /-----BEGIN |ref\+[a-z0-9]+:\/\/|ENC\[|:\/\/[^\s/:@]+:[^\s@/]+@/i.test(text) ? '<secret>' : text;
}

/**
 * `- path` removed, `+ path: value` added, `~ path: old -> new` changed; paths like
 * `[0].clusterID`, `server.port`. Lists are compared by position.
 */
export function structuralDiff(before: unknown, after: unknown, path: string): string[] {
  if (deepEqual(before, after)) return [];
  const container = (value: unknown) => Array.isArray(value) || isRecord(value);
  if (container(before) && container(after) && Array.isArray(before) === Array.isArray(after)) {
    const a = before as Record<string, unknown>;
    const b = after as Record<string, unknown>;
    const keys = Array.isArray(before)
      ? [...Array(Math.max((before as unknown[]).length, (after as unknown[]).length)).keys()].map(String)
      : [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((key) => {
      const child = Array.isArray(before) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
      if (!(key in a)) return [`+ ${child}: ${quoteLeaf(key, b[key])}`];
      if (!(key in b)) return [`- ${child}`];
      return structuralDiff(a[key], b[key], child);
    });
  }
  const leaf =
    path
      .split(/[.[\]]/)
      .filter(Boolean)
      .pop() ?? '';
  return [`~ ${path || '(root)'}: ${quoteLeaf(leaf, before)} -> ${quoteLeaf(leaf, after)}`];
}
