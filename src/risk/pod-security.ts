import { DEFAULT_POD_SECURITY_LEVEL } from '../defaults.js';
import {
  LATEST_POLICY_VERSION,
  POD_SECURITY_LEVELS,
  podSecurityViolations,
  type PodSecurityLevel,
  type PolicyVersion,
} from './pod-security-checks.js';
import { sideTemplate } from './pod-spec.js';
import { podSpecPath } from './pod-templates.js';
import type { ResourcePair } from './resource-pairs.js';
import type { Risk } from './types.js';
import { isRecord, valueAt } from './values.js';

/** The label by which a Namespace chooses the level the PodSecurity admission plugin enforces on its pods. */
export const POD_SECURITY_ENFORCE_LABEL = 'pod-security.kubernetes.io/enforce';
/** The label that pins the policy version enforced (`v1.29`, `latest`); unset is `latest` (the admission plugin's default). */
export const POD_SECURITY_ENFORCE_VERSION_LABEL = 'pod-security.kubernetes.io/enforce-version';
export { DEFAULT_POD_SECURITY_LEVEL };

export function isPodSecurityLevel(value: string): value is PodSecurityLevel {
  return (POD_SECURITY_LEVELS as readonly string[]).includes(value);
}

/** The enforce label of each rendered Namespace on one side (a label that names no level counts as unset). */
function enforcedLevels(pairs: readonly ResourcePair[], side: 'base' | 'head'): Map<string, PodSecurityLevel | undefined> {
  const levels = new Map<string, PodSecurityLevel | undefined>();
  for (const pair of pairs) {
    const object = pair.masked[side];
    if (pair.key.group !== '' || pair.key.kind !== 'Namespace' || !object) continue;
    const label = valueAt(object, 'metadata.labels');
    const level = isRecord(label) ? String(label[POD_SECURITY_ENFORCE_LABEL] ?? '') : '';
    levels.set(pair.key.name, isPodSecurityLevel(level) ? level : undefined);
  }
  return levels;
}

/** The enforce-version label of each rendered Namespace on one side, as a minor; `latest`, unset or unreadable is the newest. */
function enforcedVersions(pairs: readonly ResourcePair[], side: 'base' | 'head'): Map<string, PolicyVersion> {
  const versions = new Map<string, PolicyVersion>();
  for (const pair of pairs) {
    const label = valueAt(pair.masked[side], `metadata.labels`);
    if (pair.key.group !== '' || pair.key.kind !== 'Namespace' || !isRecord(label)) continue;
    const pinned = /^v1\.(\d+)$/.exec(String(label[POD_SECURITY_ENFORCE_VERSION_LABEL] ?? ''));
    versions.set(pair.key.name, pinned ? Number(pinned[1]) : LATEST_POLICY_VERSION);
  }
  return versions;
}

/**
 * pod-security: every pod template of head checked against the level its namespace enforces (the
 * Namespace's enforce label, else the cluster default). The API server accepts the workload; its
 * pods are then refused, which no render or dry-run shows. A template refused only for what the
 * base was already refused for is left out: it is not this change's doing. A namespace whose
 * enforce level is lowered or removed is medium.
 */
export function podSecurityRisks(pairs: readonly ResourcePair[], clusterDefault: PodSecurityLevel): Risk[] {
  const base = enforcedLevels(pairs, 'base');
  const head = enforcedLevels(pairs, 'head');
  const levelOf = (levels: Map<string, PodSecurityLevel | undefined>, namespace: string) => levels.get(namespace) ?? clusterDefault;
  const versions = { base: enforcedVersions(pairs, 'base'), head: enforcedVersions(pairs, 'head') };
  const versionOf = (side: 'base' | 'head', namespace: string) => versions[side].get(namespace) ?? LATEST_POLICY_VERSION;
  const risks: Risk[] = [];
  for (const pair of pairs) {
    const namespace = pair.key.namespace;
    const template = pair.head && namespace ? sideTemplate(pair, 'head') : undefined;
    if (!template || !namespace) continue;
    const level = levelOf(head, namespace);
    const refused = podSecurityViolations(template, level, versionOf('head', namespace));
    if (refused.length === 0) continue;
    const before = pair.base ? sideTemplate(pair, 'base') : undefined;
    const baseLevel = levelOf(base, namespace);
    const alreadyRefused = new Set(before ? reasons(podSecurityViolations(before, baseLevel, versionOf('base', namespace))) : []);
    if (reasons(refused).every((reason) => alreadyRefused.has(reason))) continue;
    const from = !before
      ? '(new workload)'
      : alreadyRefused.size > 0
        ? `refused by ${baseLevel}, for fewer reasons`
        : `admitted by ${baseLevel}`;
    risks.push(refusedTemplateRisk(pair, { level, version: versionOf('head', namespace) }, refused, from));
  }
  risks.push(...loweredLevelRisks(pairs, base, head, clusterDefault));
  return risks;
}

/** Each thing a level refuses, one string each, to compare base and head. */
function reasons(violations: { check: string; forbidden: string[] }[]): string[] {
  return violations.flatMap(({ check, forbidden }) => forbidden.map((item) => `${check}: ${item}`));
}

function describe(violations: { check: string; forbidden: string[] }[]): string {
  return violations.map(({ check, forbidden }) => `${check}: ${forbidden.join(', ')}`).join('; ');
}

function refusedTemplateRisk(
  pair: ResourcePair,
  { level, version }: { level: PodSecurityLevel; version: PolicyVersion },
  refused: { check: string; forbidden: string[] }[],
  from: string,
): Risk {
  return {
    rule: 'pod-security',
    severity: 'high',
    environment: pair.environment,
    release: pair.release,
    resource: pair.key,
    field: podSpecPath(pair.key.group, pair.key.kind),
    change: { from, to: `refused by ${level}` },
    message:
      `namespace ${pair.key.namespace!} enforces the Pod Security Standard "${level}"` +
      `${version === LATEST_POLICY_VERSION ? '' : ` of v1.${version}`}, which refuses ` +
      (pair.key.kind === 'Pod'
        ? `this Pod (the sync fails): ${describe(refused)}`
        : `the pods of this ${pair.key.kind} (the ${pair.key.kind} itself is accepted; its pods are not created): ${describe(refused)}`),
    fix:
      `set the chart's securityContext values so the pods meet "${level}", or, if the software needs it, label the namespace ` +
      `with the level it needs (${POD_SECURITY_ENFORCE_LABEL})`,
  };
}

function loweredLevelRisks(
  pairs: readonly ResourcePair[],
  base: Map<string, PodSecurityLevel | undefined>,
  head: Map<string, PodSecurityLevel | undefined>,
  clusterDefault: PodSecurityLevel,
): Risk[] {
  const rank = (level: PodSecurityLevel) => POD_SECURITY_LEVELS.indexOf(level);
  return pairs.flatMap((pair): Risk[] => {
    if (pair.key.group !== '' || pair.key.kind !== 'Namespace' || !pair.base || !pair.head) return [];
    const before = base.get(pair.key.name);
    const after = head.get(pair.key.name);
    // A removed label counts even when the default is as high: the cluster's configuration, not the render, then decides.
    if (before === undefined || before === after || (after !== undefined && rank(after) >= rank(before))) return [];
    return [
      {
        rule: 'pod-security',
        severity: 'medium',
        environment: pair.environment,
        release: pair.release,
        resource: pair.key,
        field: `metadata.labels.${POD_SECURITY_ENFORCE_LABEL}`,
        change: { from: before, to: after ?? `(unset: the cluster default, ${clusterDefault})` },
        message: `the namespace enforces a lower Pod Security Standard: pods it refused before are admitted`,
        fix: 'check which workload needs the lower level, and keep the level as high as it allows',
      },
    ];
  });
}
