import type { ApiServerRefusal } from '../apiserver/refusal.js';
import { resourceId } from '../model/resource-key.js';
import type { Risk, RiskRule } from './types.js';

/** The rules that say the API server will refuse the object: the server's refusal of it is their verdict. */
const SYNC_FAILURE_RULES: ReadonlySet<RiskRule> = new Set<RiskRule>([
  'immutable-field',
  'pvc-shrink',
  'namespace-change',
  'crd-version-not-served',
  'crd-stored-version-removed',
  'cel-validation',
]);

const FIX =
  'change the values or the chart version until the API server accepts the object (its message names the field); for a field ' +
  'that cannot change, let Argo CD replace the object (sync option Replace=true) or delete it in the same change, or allow the risk';

/** Each refusal of the sync check as a high risk (`api-server-refused`): Argo CD's sync fails on exactly this. */
export function apiServerRisks(refusals: readonly ApiServerRefusal[]): Risk[] {
  return refusals.map((refusal) => ({
    rule: 'api-server-refused',
    severity: 'high',
    environment: refusal.environment,
    release: refusal.release,
    resource: refusal.resource,
    path: refusal.path,
    ...(refusal.field ? { field: refusal.field } : {}),
    message:
      refusal.operation === 'delete'
        ? `the API server refuses to prune it (the head no longer renders it): ${refusal.message}`
        : `the API server refuses the sync: ${refusal.message}`,
    fix: FIX,
  }));
}

/**
 * The rule risks and the server's refusals as one list. A rule risk that foresaw the refusal (a
 * sync-failure rule on the same resource of the same environment: the server refuses an object
 * once, whichever field it names first) becomes one `api-server-refused` risk: the rule's field, old -> new and fix (more
 * precise), its message followed by the server's, and the rule named in `confirms`. What the
 * server alone refuses is added as it is; what the rules alone find stays as it is.
 */
export function withServerVerdict(found: readonly Risk[], server: readonly Risk[]): Risk[] {
  const confirmed = new Map<Risk, Risk[]>();
  const alone: Risk[] = [];
  for (const risk of server) {
    const covered = found.find(
      (other) =>
        SYNC_FAILURE_RULES.has(other.rule) &&
        other.environment === risk.environment &&
        resourceId(other.resource) === resourceId(risk.resource),
    );
    if (covered) confirmed.set(covered, [...(confirmed.get(covered) ?? []), risk]);
    else alone.push(risk);
  }
  const merged = found.map((risk) => {
    const verdicts = confirmed.get(risk);
    if (!verdicts) return risk;
    const said = verdicts.map((verdict) => verdict.message.replace(/^the API server refuses the sync: /, '')).join('; ');
    return { ...risk, rule: verdicts[0]!.rule, message: `${risk.message}; the API server refuses it: ${said}`, confirms: [risk.rule] };
  });
  return [...merged, ...alone];
}
