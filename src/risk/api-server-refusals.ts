import type { ApiServerRefusal } from '../apiserver/refusal.js';
import { resourceId } from '../render/resource-key.js';
import { SEVERITY_ORDER, type Risk } from './types.js';

const REMEDY =
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
    remedy: REMEDY,
  }));
}

/**
 * The risks of `extra` no risk of `known` already names at the same severity or above (same
 * environment, resource and field): an immutable selector the rules found and the server refused
 * is one risk, the rule's, which says what to do more precisely.
 */
export function uncoveredRisks(extra: readonly Risk[], known: readonly Risk[]): Risk[] {
  return extra.filter(
    (risk) =>
      !known.some(
        (other) =>
          SEVERITY_ORDER.indexOf(other.severity) <= SEVERITY_ORDER.indexOf(risk.severity) &&
          other.environment === risk.environment &&
          resourceId(other.resource) === resourceId(risk.resource) &&
          sameField(other.field, risk.field),
      ),
  );
}

/** Fields as both name them: `spec.selector` covers `spec.selector.matchLabels`; no field on either side matches any. */
function sameField(riskField: string | undefined, refusalField: string | undefined): boolean {
  if (!riskField || !refusalField) return true;
  const plain = (field: string) => field.replace(/\[[^\]]*\]/g, '[]');
  const [a, b] = [plain(riskField), plain(refusalField)];
  return a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);
}
