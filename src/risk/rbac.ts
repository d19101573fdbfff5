import { formatResourceKey } from '../model/resource-key.js';
import { objects, strings } from './pod-spec.js';
import type { ResourcePair } from './resource-pairs.js';
import type { Risk } from './types.js';
import { isRecord, quoteValue, valueAt, type JsonObject } from './values.js';

const RBAC_GROUP = 'rbac.authorization.k8s.io';
/**
 * Verbs that let a subject grant itself more than it has (RBAC docs, "Privilege escalation
 * prevention and bootstrapping": `escalate`, `bind`; "User impersonation": `impersonate`).
 */
const ESCALATING_VERBS = new Set(['escalate', 'bind', 'impersonate']);
/** Verbs that read an object's content. */
const READ_VERBS = new Set(['get', 'list', 'watch', '*']);
/** Verbs that change or remove objects (a `*` verb is a wildcard, named on its own). */
const WRITE_VERBS = new Set(['create', 'update', 'patch', 'delete', 'deletecollection']);
/**
 * Resources whose writes reach past the holder's own work (`group/resource`): webhook
 * configurations intercept every write of the cluster, RBAC objects grant permissions, nodes carry
 * every pod's scheduling (labels, taints); RBAC docs, "Privilege escalation prevention" and the
 * admissionregistration.k8s.io API.
 */
const NOTABLE_WRITE_TARGETS = new Set([
  'admissionregistration.k8s.io/validatingwebhookconfigurations',
  'admissionregistration.k8s.io/mutatingwebhookconfigurations',
  'rbac.authorization.k8s.io/roles',
  'rbac.authorization.k8s.io/clusterroles',
  'rbac.authorization.k8s.io/rolebindings',
  'rbac.authorization.k8s.io/clusterrolebindings',
  '/nodes',
]);
/** The built-in role that allows everything (RBAC docs, "User-facing roles"). */
const CLUSTER_ADMIN = 'cluster-admin';
/** The label by which a ClusterRole adds its rules to the built-in admin, edit and view roles (RBAC docs, "Aggregated ClusterRoles"). */
const AGGREGATE_LABEL_PREFIX = 'rbac.authorization.k8s.io/aggregate-to-';

/** One permission: a verb on a resource of a group (or a non-resource URL), maybe only on named objects. */
interface Grant {
  verb: string;
  group: string;
  resource: string;
  resourceName: string;
}

function grantsOf(rule: JsonObject): Grant[] {
  const verbs = strings(rule.verbs);
  const urls = strings(rule.nonResourceURLs);
  const names = strings(rule.resourceNames);
  const grants: Grant[] = [];
  for (const verb of verbs) {
    for (const url of urls) grants.push({ verb, group: '', resource: url, resourceName: '' });
    for (const group of strings(rule.apiGroups))
      for (const resource of strings(rule.resources))
        for (const resourceName of names.length > 0 ? names : ['']) grants.push({ verb, group, resource, resourceName });
  }
  return grants;
}

/** A base grant allows the head one when each part is equal or `*` (an unnamed grant covers every name). */
function covers(base: Grant, head: Grant): boolean {
  const part = (a: string, b: string) => a === '*' || a === b;
  return (
    part(base.verb, head.verb) &&
    part(base.group, head.group) &&
    part(base.resource, head.resource) &&
    (base.resourceName === '' || base.resourceName === head.resourceName)
  );
}

function describeGrant(grant: Grant): string {
  const resource = grant.resource.startsWith('/') ? grant.resource : `${grant.group ? `${grant.group}/` : ''}${grant.resource}`;
  return `${grant.verb} ${resource}${grant.resourceName ? ` (${grant.resourceName})` : ''}`;
}

/** Why a grant lets its holder take over (part of) the cluster; undefined when it does not. */
function dangerOf(grant: Grant, clusterWide: boolean): string | undefined {
  if ([grant.verb, grant.group, grant.resource].includes('*')) return 'a wildcard (*) grants everything, present and future';
  if (ESCALATING_VERBS.has(grant.verb)) return `${grant.verb} lets the holder grant itself more`;
  if (clusterWide && grant.resource === 'secrets' && grant.group === '' && READ_VERBS.has(grant.verb) && !grant.resourceName)
    return 'it reads every Secret of the cluster';
  return undefined;
}

/**
 * Whether a reviewer must see the permission on the summary line: a `*` anywhere, an escalating
 * verb, any access to Secrets (their data is every credential of the namespace, or of the cluster),
 * or a write to webhook configurations, RBAC objects or nodes (NOTABLE_WRITE_TARGETS).
 */
function isNotablePermission(grant: Grant): boolean {
  if ([grant.verb, grant.group, grant.resource].includes('*') || ESCALATING_VERBS.has(grant.verb)) return true;
  const resource = grant.resource.split('/')[0]!;
  if (grant.group === '' && resource === 'secrets') return true;
  return WRITE_VERBS.has(grant.verb) && NOTABLE_WRITE_TARGETS.has(`${grant.group}/${resource}`);
}

/**
 * The rules of a (Cluster)Role, each with the field a risk names: its own (`rules[0]`) and, for an
 * aggregating ClusterRole, those of the ClusterRoles its selectors match (`aggregationRule: view-widgets rules[0]`).
 */
function effectiveRules(role: JsonObject, clusterRoles: readonly JsonObject[]): { rule: JsonObject; field: string }[] {
  const own = objects(role.rules).map((rule, index) => ({ rule, field: `rules[${index}]` }));
  const selectors = objects(valueAt(role, 'aggregationRule.clusterRoleSelectors'));
  const aggregated = clusterRoles.filter((other) => other !== role && selectors.some((selector) => labelsMatch(selector, other)));
  return [
    ...own,
    ...aggregated.flatMap((other) =>
      objects(other.rules).map((rule, index) => ({
        rule,
        field: `aggregationRule: ${String(valueAt(other, 'metadata.name'))} rules[${index}]`,
      })),
    ),
  ];
}

function labelsMatch(selector: JsonObject, object: JsonObject): boolean {
  const labels = valueAt(object, 'metadata.labels');
  const wanted = valueAt(selector, 'matchLabels');
  if (!isRecord(labels) || !isRecord(wanted) || Object.keys(wanted).length === 0) return false;
  return Object.entries(wanted).every(([key, value]) => labels[key] === value);
}

/** rbac-widened: what each (Cluster)Role gains, rule by rule, and bindings that gain subjects or a role. */
export function rbacRisks(pairs: readonly ResourcePair[]): Risk[] {
  const clusterRoles = (side: 'base' | 'head') =>
    pairs
      .filter((pair) => pair.key.group === RBAC_GROUP && pair.key.kind === 'ClusterRole' && pair.masked[side])
      .map((pair) => pair.masked[side]!);
  const sides = { base: clusterRoles('base'), head: clusterRoles('head') };
  return pairs.flatMap((pair) => {
    if (pair.key.group !== RBAC_GROUP || !pair.head) return [];
    if (pair.key.kind === 'Role' || pair.key.kind === 'ClusterRole') return roleRisks(pair, sides);
    if (pair.key.kind === 'RoleBinding' || pair.key.kind === 'ClusterRoleBinding') return bindingRisks(pair);
    return [];
  });
}

function roleRisks(pair: ResourcePair, clusterRoles: { base: JsonObject[]; head: JsonObject[] }): Risk[] {
  const base = pair.masked.base;
  const head = pair.masked.head!;
  const before = base ? effectiveRules(base, clusterRoles.base).flatMap(({ rule }) => grantsOf(rule)) : [];
  const clusterWide = pair.key.kind === 'ClusterRole';
  const labels = valueAt(head, 'metadata.labels');
  const aggregatesInto = Object.keys(isRecord(labels) ? labels : {})
    .filter((key) => key.startsWith(AGGREGATE_LABEL_PREFIX) && (labels as JsonObject)[key] === 'true')
    .map((key) => key.slice(AGGREGATE_LABEL_PREFIX.length));
  const risks: Risk[] = [];
  for (const { rule, field } of effectiveRules(head, clusterRoles.head)) {
    const gained = grantsOf(rule).filter((grant) => !before.some((old) => covers(old, grant)));
    if (gained.length === 0) continue;
    const dangers = [...new Set(gained.map((grant) => dangerOf(grant, clusterWide)).filter((danger) => danger !== undefined))];
    const into =
      aggregatesInto.length > 0 ? `; it aggregates into ${aggregatesInto.join(', ')}, so every subject bound to those gains it too` : '';
    risks.push({
      rule: 'rbac-widened',
      severity: dangers.length > 0 ? 'high' : 'medium',
      environment: pair.environment,
      release: pair.release,
      resource: pair.key,
      field,
      change: { from: base ? 'not granted' : '(new role)', to: quoteValue(gained.map(describeGrant).join(', ')) },
      gained: gained.map(describeGrant),
      notable: gained.filter(isNotablePermission).map(describeGrant),
      message: `the ${pair.key.kind} gains ${gained.length} permission${gained.length === 1 ? '' : 's'}${dangers.length ? ` (${dangers.join('; ')})` : ''}${into}`,
      fix: "check that the software needs each new permission (release notes, the chart's RBAC values) before it is granted",
    });
  }
  return risks;
}

function bindingRisks(pair: ResourcePair): Risk[] {
  const base = pair.masked.base;
  const head = pair.masked.head!;
  const subjectId = (subject: JsonObject) =>
    `${String(subject.kind)} ${subject.namespace ? `${String(subject.namespace)}/` : ''}${String(subject.name)}`;
  const before = new Set(objects(base?.subjects).map(subjectId));
  const gained = objects(head.subjects)
    .map(subjectId)
    .filter((id) => !before.has(id));
  const roleOf = (binding: JsonObject | undefined) =>
    binding ? `${String(valueAt(binding, 'roleRef.kind'))} ${String(valueAt(binding, 'roleRef.name'))}` : undefined;
  const roleChanged = roleOf(base) !== roleOf(head);
  // A binding without subjects grants nobody anything.
  if ((gained.length === 0 && !roleChanged) || objects(head.subjects).length === 0) return [];
  const toAdmin = valueAt(head, 'roleRef.kind') === 'ClusterRole' && valueAt(head, 'roleRef.name') === CLUSTER_ADMIN;
  const grantee = (gained.length > 0 ? gained : objects(head.subjects).map(subjectId)).join(', ');
  return [
    {
      rule: 'rbac-widened',
      severity: toAdmin ? 'high' : 'medium',
      environment: pair.environment,
      release: pair.release,
      resource: pair.key,
      field: roleChanged ? 'roleRef' : 'subjects',
      change: roleChanged
        ? { from: roleOf(base) ?? '(new binding)', to: `${roleOf(head)!} for ${grantee}` }
        : { from: 'not bound', to: grantee },
      message: `${grantee} ${gained.length > 1 ? 'are' : 'is'} granted ${roleOf(head)!}${toAdmin ? ', which allows everything in the cluster' : ''} through ${formatResourceKey(pair.key)}`,
      fix: 'check that each subject needs the role; bind a narrower role where one fits',
    },
  ];
}
