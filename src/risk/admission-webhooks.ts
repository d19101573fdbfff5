import { objects, strings } from './pod-spec.js';
import type { ResourcePair } from './resource-pairs.js';
import type { Risk } from './types.js';
import { canonicalJson, isRecord, quoteValue, valueAt, type JsonObject } from './values.js';

const ADMISSION_GROUP = 'admissionregistration.k8s.io';
const WEBHOOK_KINDS = new Set(['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration']);
/**
 * Resources every cluster writes all the time (controllers, leader election, Argo CD's syncs): a
 * webhook that fails closed on them stops the cluster when its service is down.
 */
const CRITICAL_RESOURCES = new Set(['pods', 'deployments', 'namespaces', 'secrets', 'configmaps', 'services', 'leases', '*']);
/** admissionregistration.k8s.io/v1 defaults `failurePolicy` to Fail and `timeoutSeconds` to 10 (ValidatingWebhook field docs). */
const DEFAULT_FAILURE_POLICY = 'Fail';
const DEFAULT_TIMEOUT_SECONDS = 10;
/** The label the API server sets on every Namespace with its name (since 1.21): selectors exclude kube-system by it. */
const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';
const SYSTEM_NAMESPACE = 'kube-system';

/** One operation on one resource of one group a webhook intercepts. */
function interceptsOf(webhook: JsonObject): string[] {
  return objects(webhook.rules).flatMap((rule) =>
    strings(rule.operations).flatMap((operation) =>
      strings(rule.apiGroups).flatMap((group) =>
        strings(rule.resources).map((resource) => `${operation} ${group ? `${group}/` : ''}${resource}`),
      ),
    ),
  );
}

/** Built-in API groups: the core group, unqualified ones (apps, batch...) and *.k8s.io; others are custom resources. */
function isBuiltInGroup(group: string): boolean {
  return group === '' || group === '*' || !group.includes('.') || group.endsWith('.k8s.io');
}

function matchesCriticalResource(webhook: JsonObject): string | undefined {
  for (const rule of objects(webhook.rules))
    for (const resource of strings(rule.resources)) {
      const base = resource.split('/')[0]!;
      if (CRITICAL_RESOURCES.has(base) && strings(rule.apiGroups).some(isBuiltInGroup)) return resource;
    }
  return undefined;
}

/**
 * Whether a selector leaves kube-system out: one that opts in (matchLabels, `In`, `Exists`)
 * matches only labelled namespaces or objects, and `NotIn` on the namespace name label can name it.
 */
function excludesSystem(selector: unknown, namespaceSelector: boolean): boolean {
  if (!isRecord(selector)) return false;
  if (isRecord(selector.matchLabels) && Object.keys(selector.matchLabels).length > 0) return true;
  return objects(selector.matchExpressions).some((expression) => {
    if (expression.operator === 'In' || expression.operator === 'Exists') return true;
    return (
      namespaceSelector &&
      expression.operator === 'NotIn' &&
      expression.key === NAMESPACE_NAME_LABEL &&
      strings(expression.values).includes(SYSTEM_NAMESPACE)
    );
  });
}

/** What makes the head webhook intercept more than the base one did; all of it for a new webhook. */
function widening(base: JsonObject | undefined, head: JsonObject): { field: string; from: string; to: string }[] {
  const policy = (webhook: JsonObject) => String(webhook.failurePolicy ?? DEFAULT_FAILURE_POLICY);
  const timeout = (webhook: JsonObject) => Number(webhook.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS);
  if (!base) return [{ field: '', from: '(none)', to: `${policy(head)} on ${interceptsOf(head).join(', ') || '(no rules)'}` }];
  const changes: { field: string; from: string; to: string }[] = [];
  const before = new Set(interceptsOf(base));
  const gained = interceptsOf(head).filter((intercept) => !before.has(intercept));
  if (gained.length > 0) changes.push({ field: 'rules', from: [...before].join(', ') || '(none)', to: `+ ${gained.join(', ')}` });
  if (policy(base) !== 'Fail' && policy(head) === 'Fail') changes.push({ field: 'failurePolicy', from: policy(base), to: policy(head) });
  if (timeout(head) > timeout(base)) changes.push({ field: 'timeoutSeconds', from: String(timeout(base)), to: String(timeout(head)) });
  for (const selector of ['namespaceSelector', 'objectSelector'])
    if (
      canonicalJson(base[selector] ?? {}) !== canonicalJson(head[selector] ?? {}) &&
      !excludesSystem(head[selector], selector === 'namespaceSelector')
    )
      changes.push({ field: selector, from: canonicalJson(base[selector] ?? {}), to: canonicalJson(head[selector] ?? {}) });
  return changes;
}

/**
 * admission-webhook: a webhook added or widened (rules, failure policy, timeout, selectors). High
 * when it fails closed on a resource the cluster writes all the time and no selector leaves
 * kube-system out; a webhook that ignores its failures and watches only custom resources is left out.
 */
export function admissionWebhookRisks(pair: ResourcePair): Risk[] {
  if (pair.key.group !== ADMISSION_GROUP || !WEBHOOK_KINDS.has(pair.key.kind) || !pair.head) return [];
  if (pair.base && !pair.changed) return [];
  const baseHooks = new Map(objects(pair.masked.base?.webhooks).map((hook) => [String(hook.name), hook]));
  return objects(pair.masked.head!.webhooks).flatMap((hook): Risk[] => {
    const name = String(hook.name);
    const changes = widening(baseHooks.get(name), hook);
    if (changes.length === 0) return [];
    const failClosed = String(hook.failurePolicy ?? DEFAULT_FAILURE_POLICY) === 'Fail';
    const critical = matchesCriticalResource(hook);
    const builtIn = objects(hook.rules).some((rule) => strings(rule.apiGroups).some(isBuiltInGroup));
    if (!failClosed && !builtIn) return [];
    const unselected = !excludesSystem(hook.namespaceSelector, true) && !excludesSystem(hook.objectSelector, false);
    const high = failClosed && critical !== undefined && unselected;
    const service = valueAt(hook, 'clientConfig.service');
    const target = isRecord(service) ? `its service ${String(service.namespace)}/${String(service.name)}` : 'its endpoint';
    return changes.map((change) => ({
      rule: 'admission-webhook' as const,
      severity: high ? ('high' as const) : ('medium' as const),
      environment: pair.environment,
      release: pair.release,
      resource: pair.key,
      field: change.field ? `webhooks[${name}].${change.field}` : `webhooks[${name}]`,
      change: { from: quoteValue(change.from), to: quoteValue(change.to) },
      message: high
        ? `the webhook fails closed (failurePolicy Fail) on ${critical!} in every namespace, kube-system included: while ${target} is down, ` +
          `every such write in the cluster fails, Argo CD's included`
        : `the webhook ${failClosed ? 'fails closed' : 'intercepts built-in resources'}: while ${target} is down or slow, the writes it matches fail or wait`,
      fix: high
        ? 'exclude system namespaces (namespaceSelector on kubernetes.io/metadata.name NotIn [kube-system, ...]) or set failurePolicy: Ignore ' +
          "where the chart allows it, and make sure the webhook's service runs before merging"
        : 'check what the webhook intercepts and that its service runs with more than one replica',
    }));
  });
}
