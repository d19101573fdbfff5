import type { SensitiveValues } from '../diff/sensitive-values.js';
import type { EnvironmentManifests } from '../model/manifests.js';
import { compareResourceKeys, resourceId } from '../model/resource-key.js';
import { celRisks, CelRuleEvaluator } from './cel-rules.js';
import { configRisks } from './config-references.js';
import { crdVersionRisks } from './crd-versions.js';
import { generatedValueRisks, type GeneratedValueSignal } from './generated-values.js';
import { immutableFieldRisks, namespaceChangeRisks } from './immutable-fields.js';
import { matchResources, type ResourcePair } from './resource-pairs.js';
import { SEVERITY_ORDER, type Risk } from './types.js';
import { workloadRisks } from './workload-signals.js';
import { admissionWebhookRisks } from './admission-webhooks.js';
import { exposureRisks } from './exposure.js';
import { DEFAULT_POD_SECURITY_LEVEL, podSecurityRisks } from './pod-security.js';
import type { PodSecurityLevel } from './pod-security-checks.js';
import { privilegeRisks } from './privileges.js';
import { rbacRisks } from './rbac.js';

export interface RiskAnalysisInput {
  base: readonly EnvironmentManifests[];
  head: readonly EnvironmentManifests[];
  /** The diff's record of masked values; values the rules mask are added to it, so reports scrub them too. */
  sensitive?: SensitiveValues;
  /** Values the render generates (from the fidelity checks: `environment.generated`); see generated-values.ts. */
  generatedValues?: readonly GeneratedValueSignal[];
  /** The Pod Security Standards level a namespace without an enforce label gets (the cluster's default); `privileged` when unset. */
  podSecurityDefault?: PodSecurityLevel;
}

/**
 * Every risk of the change, high first (then environment, release, resource, field). Pure: the
 * renders in, the risks out. Environments compared are those the diff compares (the caller
 * leaves out an environment that failed to render on either side).
 */
export function analyzeRisks(input: RiskAnalysisInput): Risk[] {
  const pairs = matchResources(input.base, input.head, input.sensitive);
  const evaluator = new CelRuleEvaluator();
  const risks: Risk[] = [];
  const onBase = new Set(input.base.map((environment) => environment.environment));
  for (const pairsOfEnvironment of groupByEnvironment(pairs)) {
    const environment = pairsOfEnvironment[0]!.environment;
    risks.push(
      ...(onBase.has(environment) ? trustRisks(pairsOfEnvironment, releaseNamespaces(input.head, environment)) : []),
      ...podSecurityRisks(pairsOfEnvironment, input.podSecurityDefault ?? DEFAULT_POD_SECURITY_LEVEL),
      ...pairsOfEnvironment.flatMap(immutableFieldRisks),
      ...namespaceChangeRisks(pairsOfEnvironment),
      ...crdVersionRisks(pairsOfEnvironment),
      ...celRisks(pairsOfEnvironment, evaluator),
      ...configRisks(pairsOfEnvironment),
      ...workloadRisks(pairsOfEnvironment),
    );
  }
  const existing = new Set(pairs.filter((pair) => pair.base && pair.head).map((pair) => `${pair.environment}|${resourceId(pair.key)}`));
  risks.push(
    ...generatedValueRisks(input.generatedValues ?? [], (signal) => existing.has(`${signal.environment}|${resourceId(signal.resource)}`)),
  );
  const paths = new Map(pairs.map((pair) => [`${pair.environment}|${resourceId(pair.key)}`, (pair.head ?? pair.base)!.resource.path]));
  for (const risk of risks) {
    const path = paths.get(`${risk.environment}|${resourceId(risk.resource)}`);
    if (path) risk.path = path;
  }
  return risks.sort(compareRisks);
}

/**
 * What the change widens in what the cluster trusts: privileges, RBAC, admission webhooks, exposure.
 * Only for an environment the base renders too: a new environment is a new cluster's first
 * deploy, where everything is new and the whole render is the review.
 */
function trustRisks(pairs: readonly ResourcePair[], namespaces: Map<string, string>): Risk[] {
  return [
    ...pairs.flatMap((pair) => [
      ...privilegeRisks(pair, namespaces.get(pair.release)),
      ...admissionWebhookRisks(pair),
      ...exposureRisks(pair),
    ]),
    ...rbacRisks(pairs),
  ];
}

/** Each release's own namespace (helmfile `namespace`) in one environment, head's. */
function releaseNamespaces(head: readonly EnvironmentManifests[], environment: string): Map<string, string> {
  const releases = head.find((side) => side.environment === environment)?.releases ?? [];
  return new Map(releases.map(({ release }) => [release.name, release.namespace]));
}

export function compareRisks(a: Risk, b: Risk): number {
  return (
    SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) ||
    cmp(a.environment, b.environment) ||
    cmp(a.release, b.release) ||
    compareResourceKeys(a.resource, b.resource) ||
    cmp(a.field ?? '', b.field ?? '') ||
    cmp(a.rule, b.rule) ||
    cmp(a.change?.to ?? '', b.change?.to ?? '') ||
    cmp(a.message, b.message)
  );
}

function groupByEnvironment(pairs: readonly ResourcePair[]): ResourcePair[][] {
  const groups = new Map<string, ResourcePair[]>();
  for (const pair of pairs) {
    const group = groups.get(pair.environment);
    if (group) group.push(pair);
    else groups.set(pair.environment, [pair]);
  }
  return [...groups.values()];
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
