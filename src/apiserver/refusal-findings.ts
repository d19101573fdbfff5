import { resourceId } from '../render/resource-key.js';
import type { Finding } from '../validate/findings/finding.js';
import type { ApiServerRefusal } from './refusal.js';

/** Finding.rule of what the API server refuses. */
export const API_SERVER_RULE = 'api-server';

/** Schema rules that mean "no such kind here"; the server's "serves no <kind>" says the same. */
const KIND_NOT_SERVED_RULES = new Set(['missing-schema', 'api-not-served']);

/**
 * The server's refusals as findings, leaving out those a schema finding of the same resource
 * already reports: the same field (a missing field: its parent object, where the schema finding
 * points), a kind neither knows, or a refusal naming no field (the server stopped decoding at
 * the first problem, which the schemas located). Schema findings stay: they are offline and give
 * the line.
 */
export function refusalFindings(refusals: readonly ApiServerRefusal[], schemaFindings: readonly Finding[]): Finding[] {
  const resourceOf = (item: { environment: string; resource: Finding['resource'] }) => `${item.environment}|${resourceId(item.resource)}`;
  const reported = new Set(schemaFindings.map((finding) => `${resourceOf(finding)}|${comparablePath(finding.path)}`));
  const withFindings = new Set(schemaFindings.map(resourceOf));
  const kindUnknown = new Set(schemaFindings.filter((finding) => KIND_NOT_SERVED_RULES.has(finding.rule)).map(resourceOf));
  return refusals
    .filter((refusal) => {
      const resource = resourceOf(refusal);
      if (!withFindings.has(resource)) return true;
      if (refusal.status === 404) return !kindUnknown.has(resource);
      const field = refusal.field ?? typedPatchPath(refusal.message);
      if (field === undefined) return false;
      const path = comparablePath(field);
      return !reported.has(`${resource}|${path}`) && !reported.has(`${resource}|${parentPath(path)}`);
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

/** `spec.rules[].http.paths[].pathType` -> `spec.rules[].http.paths[]` */
function parentPath(path: string): string {
  return path.replace(/(\.[^.[\]]+|\[\])$/, '');
}

/** A path with list positions and keyed list entries alike (`[0]`, `[name="c"]` -> `[]`), without the leading dot. */
function comparablePath(path: string): string {
  return path.replace(/^\./, '').replace(/\[[^\]]*\]/g, '[]');
}
