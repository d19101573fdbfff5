import { resourceId } from '../render/resource-key.js';
import type { Finding } from '../validate/findings/finding.js';
import type { ApiServerRefusal } from './refusal.js';

/** Finding.rule of what the API server refuses. */
export const API_SERVER_RULE = 'api-server';

/** Schema rules that mean "no such kind here"; the server's "serves no <kind>" says the same. */
const KIND_NOT_SERVED_RULES = new Set(['missing-schema', 'api-not-served']);

/**
 * The server's refusals as findings, leaving out those a schema finding already reports: the same
 * field of the same resource, or a kind neither knows. Schema findings stay: they are offline and
 * give the line.
 */
export function refusalFindings(refusals: readonly ApiServerRefusal[], schemaFindings: readonly Finding[]): Finding[] {
  const reported = new Set(
    schemaFindings.map((finding) => `${finding.environment}|${resourceId(finding.resource)}|${comparablePath(finding.path)}`),
  );
  const kindUnknown = new Set(
    schemaFindings
      .filter((finding) => KIND_NOT_SERVED_RULES.has(finding.rule))
      .map((finding) => `${finding.environment}|${resourceId(finding.resource)}`),
  );
  return refusals
    .filter((refusal) => {
      const resource = `${refusal.environment}|${resourceId(refusal.resource)}`;
      if (refusal.status === 404 && kindUnknown.has(resource)) return false;
      const field = refusal.field ?? typedPatchPath(refusal.message);
      return !(field !== undefined && reported.has(`${resource}|${comparablePath(field)}`));
    })
    .map((refusal) => ({
      environment: refusal.environment,
      release: refusal.release,
      resource: refusal.resource,
      apiVersion: refusal.apiVersion,
      file: refusal.path,
      path: refusal.field ? `.${refusal.field}` : '',
      message: refusal.message,
      rule: API_SERVER_RULE,
    }));
}

/**
 * The field of a server-side apply type error (`failed to create typed patch object (...): .spec.replicas: expected numeric`),
 * which the server gives in the message only.
 */
export function typedPatchPath(message: string): string | undefined {
  return /typed patch object \([^)]*\): (\.[^:\s]+)/.exec(message)?.[1];
}

/** A path with list positions and keyed list entries alike (`[0]`, `[name="c"]` -> `[]`), without the leading dot. */
function comparablePath(path: string): string {
  return path.replace(/^\./, '').replace(/\[[^\]]*\]/g, '[]');
}
