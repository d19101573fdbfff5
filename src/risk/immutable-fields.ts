import type { ResourcePair } from './resource-pairs.js';
import type { Risk } from './types.js';
import { changedKeys, deepEqual, isRecord, parseQuantity, quoteValue, valueAt, type JsonObject } from './values.js';

/**
 * Fields the API server refuses to change on update (the `ValidateXUpdate` functions of
 * k8s.io/kubernetes/pkg/apis/<group>/validation and the "This field is immutable" notes of the
 * API reference). Argo CD applies the new object, the API server answers 422 "field is
 * immutable", and the sync stays failed until the object is replaced.
 */

/** The Argo CD annotation that makes Argo CD replace (delete and create) a resource instead of applying it. */
export const REPLACE_SYNC_OPTION = '`argocd.argoproj.io/sync-options: Replace=true`';

const REPLACE_FIX =
  `add the annotation ${REPLACE_SYNC_OPTION} to the resource (Argo CD then deletes and recreates it), or delete ` +
  `it by hand before the sync, or pin the chart to the version before`;

/** StatefulSet spec fields `ValidateStatefulSetUpdate` lets change; every other spec field is forbidden. */
const STATEFULSET_MUTABLE = new Set([
  'replicas',
  'template',
  'updateStrategy',
  'minReadySeconds',
  'persistentVolumeClaimRetentionPolicy',
  'ordinals',
  'revisionHistoryLimit',
]);
/** Defaults the API server fills in, so leaving a field out and writing its default are no change. */
const STATEFULSET_DEFAULTS: JsonObject = { podManagementPolicy: 'OrderedReady', serviceName: '' };
const STORAGE_CLASS_DEFAULTS: JsonObject = { reclaimPolicy: 'Delete', volumeBindingMode: 'Immediate', parameters: {} };
/** CSIDriverSpec fields the 1.35 API reference calls immutable (the others became mutable in 1.23-1.29). */
const CSI_DRIVER_IMMUTABLE: JsonObject = { attachRequired: true, volumeLifecycleModes: ['Persistent'] };
/** Kinds whose identity holds data: moving them to another namespace loses it. */
const DATA_KINDS = new Set(['PersistentVolumeClaim', 'StatefulSet', 'Secret']);
/** Changed fields of a Job template named in a risk before "…"; the diff below it shows them all. */
const NAMED_TEMPLATE_FIELDS = 5;

/** Immutable-field risks of one resource changed between base and head. */
export function immutableFieldRisks(pair: ResourcePair): Risk[] {
  if (!pair.changed) return [];
  const { base, head } = pair.masked;
  if (!base || !head) return [];
  const check = KIND_CHECKS[`${pair.key.group}/${pair.key.kind}`];
  if (!check) return [];
  const changes = new FieldChanges(pair, base, head);
  check(changes);
  return changes.risks;
}

/** One resource's two sides and the immutable-field risks found on it so far. */
class FieldChanges {
  readonly risks: Risk[] = [];

  constructor(
    readonly pair: ResourcePair,
    readonly base: JsonObject,
    readonly head: JsonObject,
  ) {}

  /** A risk of `path` changing from `from` to `to`. */
  field(path: string, from: unknown, to: unknown, message: string, fix = REPLACE_FIX): void {
    this.risks.push(fieldRisk(this.pair, path, from, to, { message, fix }));
  }

  /** A risk when `path` differs between the sides (`defaults` stands in for a field left out). */
  compare(path: string, message: string, fix?: string, defaults?: unknown): void {
    const from = valueAt(this.base, path) ?? defaults;
    const to = valueAt(this.head, path) ?? defaults;
    if (!deepEqual(from, to)) this.field(path, from, to, message, fix);
  }
}

/** The checks per `group/kind`; a kind not named here has no immutable fields the rules know. */
const KIND_CHECKS: Readonly<Record<string, (changes: FieldChanges) => void>> = {
  'apps/Deployment': selectorChange,
  'apps/DaemonSet': selectorChange,
  'apps/ReplicaSet': selectorChange,
  'apps/StatefulSet': statefulSetChanges,
  'batch/Job': jobChanges,
  '/PersistentVolumeClaim': (changes) => changes.risks.push(...persistentVolumeClaimRisks(changes.pair, changes.base, changes.head)),
  '/Service': (changes) => changes.risks.push(...serviceRisks(changes.pair, changes.base, changes.head)),
  'rbac.authorization.k8s.io/RoleBinding': roleRefChange,
  'rbac.authorization.k8s.io/ClusterRoleBinding': roleRefChange,
  'storage.k8s.io/StorageClass': storageClassChanges,
  'storage.k8s.io/CSIDriver': csiDriverChanges,
  'apiextensions.k8s.io/CustomResourceDefinition': crdNameAndScopeChanges,
  '/ConfigMap': immutableDataChanges,
  '/Secret': immutableDataChanges,
};

function selectorChange(changes: FieldChanges): void {
  const kind = changes.pair.key.kind;
  changes.compare(
    'spec.selector',
    `the ${kind}'s selector is immutable (apps/v1); the sync fails until the ${kind} is recreated, which restarts every pod`,
  );
}

function statefulSetChanges(changes: FieldChanges): void {
  const specBase = isRecord(changes.base.spec) ? changes.base.spec : {};
  const specHead = isRecord(changes.head.spec) ? changes.head.spec : {};
  for (const key of changedKeys({ ...STATEFULSET_DEFAULTS, ...specBase }, { ...STATEFULSET_DEFAULTS, ...specHead })) {
    if (STATEFULSET_MUTABLE.has(key)) continue;
    changes.field(
      `spec.${key}`,
      specBase[key] ?? STATEFULSET_DEFAULTS[key],
      specHead[key] ?? STATEFULSET_DEFAULTS[key],
      `a StatefulSet may change only ${[...STATEFULSET_MUTABLE].join(', ')}; the sync fails on spec.${key}`,
      key === 'volumeClaimTemplates'
        ? `delete the StatefulSet with \`kubectl delete statefulset --cascade=orphan\` (pods and PersistentVolumeClaims stay) and ` +
            `let Argo CD recreate it; existing claims keep their old size and class. Or pin the chart to the ` +
            `version before`
        : `delete the StatefulSet with \`kubectl delete statefulset --cascade=orphan\` (pods and PersistentVolumeClaims stay) and ` +
            `let Argo CD recreate it, or add ${REPLACE_SYNC_OPTION}, or pin the chart to the version before`,
    );
  }
}

/** A Job that is not a hook: its selector and pod template (a hook is recreated on every sync). */
function jobChanges(changes: FieldChanges): void {
  if (isHook(changes.head)) return;
  changes.compare(
    'spec.selector',
    "a Job's selector is immutable; the sync fails",
    `${REPLACE_FIX}; a Job that only runs once can be deleted after it completed`,
  );
  const templateBase = valueAt(changes.base, 'spec.template');
  const templateHead = valueAt(changes.head, 'spec.template');
  if (deepEqual(templateBase, templateHead)) return;
  const changed = changedPaths(templateBase, templateHead, 'spec.template');
  const [single] = changed.length === 1 ? changed : [];
  changes.field(
    single?.path ?? 'spec.template',
    single ? single.from : `${changed.length} fields differ`,
    single
      ? single.to
      : changed
          .slice(0, NAMED_TEMPLATE_FIELDS)
          .map((leaf) => leaf.path)
          .join(', ') + (changed.length > NAMED_TEMPLATE_FIELDS ? ', …' : ''),
    "a Job's pod template is immutable; the sync fails",
    `${REPLACE_FIX}; or make the Job a hook (\`argocd.argoproj.io/hook\`) so that Argo CD recreates it on every sync`,
  );
}

function roleRefChange(changes: FieldChanges): void {
  changes.compare(
    'roleRef',
    `a ${changes.pair.key.kind}'s roleRef is immutable; the sync fails`,
    `add ${REPLACE_SYNC_OPTION} (the binding is briefly absent while Argo CD recreates it), or delete the binding by hand before ` +
      `the sync`,
  );
}

function storageClassChanges(changes: FieldChanges): void {
  for (const key of ['provisioner', 'parameters', 'reclaimPolicy', 'volumeBindingMode']) {
    changes.compare(
      key,
      `a StorageClass's ${key} cannot be updated; the sync fails`,
      `add ${REPLACE_SYNC_OPTION} (existing volumes keep the settings they were made with), or give the new class another name`,
      STORAGE_CLASS_DEFAULTS[key],
    );
  }
}

function csiDriverChanges(changes: FieldChanges): void {
  for (const [key, fallback] of Object.entries(CSI_DRIVER_IMMUTABLE))
    changes.compare(
      `spec.${key}`,
      `a CSIDriver's ${key} is immutable; the sync fails`,
      `${REPLACE_FIX}; volumes being attached or mounted during the replacement may fail, so do it in a quiet window`,
      fallback,
    );
}

function crdNameAndScopeChanges(changes: FieldChanges): void {
  changes.compare(
    'spec.scope',
    'a CustomResourceDefinition cannot change scope (Namespaced/Cluster); the API server rejects it',
    'pin the chart: changing the scope means deleting the CRD with every custom resource of it and recreating them',
  );
  for (const key of ['plural', 'singular', 'kind', 'listKind']) {
    changes.compare(
      `spec.names.${key}`,
      `changing a CustomResourceDefinition's ${key} breaks every client and custom resource using the old name (the accepted names ` +
        `keep the old ones only until they are released)`,
      'pin the chart and read its upgrade notes: renaming a kind is a migration, not an upgrade',
    );
  }
}

/** A ConfigMap or Secret marked `immutable: true` on base: its data cannot change. */
function immutableDataChanges(changes: FieldChanges): void {
  const { base, head } = changes;
  if (base.immutable !== true) return;
  const kind = changes.pair.key.kind;
  for (const key of ['data', 'binaryData', 'stringData']) {
    const from = isRecord(base[key]) ? (base[key] as JsonObject) : {};
    const to = isRecord(head[key]) ? (head[key] as JsonObject) : {};
    const keys = changedKeys(from, to);
    if (keys.length === 0) continue;
    // Only key names: a Secret's values never appear, even masked.
    changes.field(
      key,
      keys.filter((k) => k in from).join(', ') || '(none)',
      keys.filter((k) => k in to).join(', ') || '(none)',
      `the ${kind} is marked immutable: true, so its ${key} cannot change (changed keys: ${keys.join(', ')}); the sync fails`,
      `give the ${kind} a new name (e.g. with a content hash) so that workloads switch to it, or add ${REPLACE_SYNC_OPTION}`,
    );
  }
}

function persistentVolumeClaimRisks(pair: ResourcePair, base: JsonObject, head: JsonObject): Risk[] {
  const risks: Risk[] = [];
  const specBase = isRecord(base.spec) ? { ...base.spec } : {};
  const specHead = isRecord(head.spec) ? { ...head.spec } : {};
  const sizeBase = valueAt(specBase, 'resources.requests.storage');
  const sizeHead = valueAt(specHead, 'resources.requests.storage');
  const before = parseQuantity(sizeBase);
  const after = parseQuantity(sizeHead);
  if (before !== undefined && after !== undefined && after < before) {
    risks.push(
      fieldRisk(pair, 'spec.resources.requests.storage', sizeBase, sizeHead, {
        rule: 'pvc-shrink',
        message: 'a PersistentVolumeClaim cannot shrink ("field can not be less than previous value"); the sync fails',
        fix: 'keep the old size; to really get a smaller volume, create a new claim and copy the data',
      }),
    );
  }
  // `ValidatePersistentVolumeClaimUpdate`: only resources.requests (growth) and volumeAttributesClassName may change.
  for (const spec of [specBase, specHead]) {
    delete spec.volumeAttributesClassName;
    if (isRecord(spec.resources)) spec.resources = { ...spec.resources, requests: undefined };
  }
  for (const key of changedKeys(specBase, specHead)) {
    risks.push(
      fieldRisk(pair, `spec.${key}`, valueAt(base, `spec.${key}`), valueAt(head, `spec.${key}`), {
        message:
          "a PersistentVolumeClaim's spec is immutable after creation except its storage request and volumeAttributesClassName; " +
          'the sync fails',
        fix:
          "pin the chart or keep the old value: replacing a claim deletes its volume's data unless the reclaim policy is Retain; " +
          'to migrate, create a new claim and copy the data',
      }),
    );
  }
  return risks;
}

function serviceRisks(pair: ResourcePair, base: JsonObject, head: JsonObject): Risk[] {
  const risks: Risk[] = [];
  const fix = `add ${REPLACE_SYNC_OPTION} (clients holding the old address lose it), or pin the chart to the version before`;
  const push = (field: string, from: unknown, to: unknown, message: string) =>
    risks.push(fieldRisk(pair, field, from, to, { message, fix }));
  // Leaving clusterIP out keeps the allocated one (the API server copies it on update); only a
  // different value written on head fails, including `None` (headless) to or from an address.
  const primary = (object: JsonObject) =>
    (valueAt(object, 'spec.clusterIP') as string | undefined) ?? (valueAt(object, 'spec.clusterIPs') as string[] | undefined)?.[0];
  const ipBase = primary(base);
  const ipHead = primary(head);
  if (ipHead !== undefined && ipHead !== '' && ipHead !== ipBase && (ipBase !== undefined || ipHead === 'None')) {
    push(
      valueAt(head, 'spec.clusterIP') !== undefined ? 'spec.clusterIP' : 'spec.clusterIPs',
      ipBase ?? '(allocated)',
      ipHead,
      "a Service's clusterIP (and the first of clusterIPs) cannot change, headless (None) included; the sync fails",
    );
  } else if (ipHead === undefined && ipBase === 'None' && valueAt(head, 'spec.type') !== 'ExternalName') {
    push('spec.clusterIP', ipBase, ipHead, 'a headless Service (clusterIP: None) cannot get an address; the sync fails');
  }
  const familyBase = (valueAt(base, 'spec.ipFamilies') as string[] | undefined)?.[0];
  const familyHead = (valueAt(head, 'spec.ipFamilies') as string[] | undefined)?.[0];
  // A second family may be added or removed (dual-stack); the primary family may not change.
  if (familyBase !== undefined && familyHead !== undefined && familyBase !== familyHead) {
    push('spec.ipFamilies[0]', familyBase, familyHead, "a Service's primary IP family cannot change; the sync fails");
  }
  return risks;
}

/** A risk of `field` of the resource changing from `from` to `to` (quoted); an immutable field of high severity unless said otherwise. */
function fieldRisk(
  pair: ResourcePair,
  field: string,
  from: unknown,
  to: unknown,
  text: Pick<Risk, 'message' | 'fix'> & Partial<Pick<Risk, 'rule' | 'severity'>>,
): Risk {
  return {
    rule: text.rule ?? 'immutable-field',
    severity: text.severity ?? 'high',
    environment: pair.environment,
    release: pair.release,
    resource: pair.key,
    field,
    change: { from: quoteValue(from), to: quoteValue(to) },
    message: text.message,
    fix: text.fix,
  };
}

/** The leaves (under `prefix`) that differ, for naming what changed in a large object. */
function changedPaths(a: unknown, b: unknown, prefix: string): { path: string; from: unknown; to: unknown }[] {
  if (deepEqual(a, b)) return [];
  if (isRecord(a) && isRecord(b)) return changedKeys(a, b).flatMap((key) => changedPaths(a[key], b[key], `${prefix}.${key}`));
  return [{ path: prefix, from: a, to: b }];
}

/** A Job that is a Helm or Argo CD hook is recreated by Argo CD on each sync, so its spec may change. */
function isHook(object: JsonObject): boolean {
  const annotations = valueAt(object, 'metadata.annotations');
  return isRecord(annotations) && ('helm.sh/hook' in annotations || 'argocd.argoproj.io/hook' in annotations);
}

/**
 * A resource that changed namespace is another resource to the API server: Argo CD creates the
 * new one and prunes the old one (delete and create), so what the old one held is gone.
 */
export function namespaceChangeRisks(pairs: readonly ResourcePair[]): Risk[] {
  const risks: Risk[] = [];
  const removed = pairs.filter((pair) => pair.base && !pair.head && pair.key.namespace !== undefined);
  const added = pairs.filter((pair) => pair.head && !pair.base && pair.key.namespace !== undefined);
  for (const gone of removed) {
    const moved = added.find(
      (pair) =>
        pair.environment === gone.environment &&
        pair.key.group === gone.key.group &&
        pair.key.kind === gone.key.kind &&
        pair.key.name === gone.key.name,
    );
    if (!moved) continue;
    const data = DATA_KINDS.has(gone.key.kind);
    risks.push(
      fieldRisk(moved, 'metadata.namespace', gone.key.namespace, moved.key.namespace, {
        rule: 'namespace-change',
        severity: data ? 'high' : 'medium',
        message:
          `metadata.namespace cannot change: Argo CD creates the ${gone.key.kind} in ${moved.key.namespace} and prunes the one in ` +
          `${gone.key.namespace} (delete and create)${data ? ', and what the old one holds is lost' : ''}`,
        fix: data
          ? 'migrate the data first, or keep the old namespace (pin the chart or set the namespace value back)'
          : 'make sure nothing depends on the old namespace, or keep it',
      }),
    );
  }
  return risks;
}
