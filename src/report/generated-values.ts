import type { GeneratedField } from '../model/manifests.js';
import { formatResourceKey, resourceId } from '../model/resource-key.js';
import { formatJsonPath } from '../validate/findings/json-path.js';

/** Fields listed one by one; beyond this a count stands for the rest (a chart may generate dozens). */
const MAX_LISTED_FIELDS = 20;

/**
 * The report's note on values charts generate on every render: which fields, whether the
 * committed value was kept, and how to make the render deterministic (pure).
 */
export function generatedValuesLines(fields: readonly GeneratedField[]): string[] {
  if (fields.length === 0) return [];
  const sorted = [...fields].sort(
    (a, b) =>
      a.environment.localeCompare(b.environment) ||
      a.release.localeCompare(b.release) ||
      resourceId(a.resource).localeCompare(resourceId(b.resource)) ||
      formatJsonPath(a.path).localeCompare(formatJsonPath(b.path)),
  );
  const lines = [
    `#### Values the charts generate on every render (${fields.length})`,
    '',
    'Rendering the same inputs twice gave different values here (randAlphaNum, genCA, uuidv4, now). The values already committed are ' +
      'kept, so nothing rotates by accident; a field marked *new* had no committed value yet.',
    '',
  ];
  for (const field of sorted.slice(0, MAX_LISTED_FIELDS)) {
    lines.push(
      `- **${field.environment}** · ${field.release} ` +
        `· \`${formatResourceKey(field.resource)}\` \`${formatJsonPath(field.path)}\`${field.outcome === 'new' ? ' (*new*)' : ''}`,
    );
  }
  if (sorted.length > MAX_LISTED_FIELDS) lines.push(`- … ${sorted.length - MAX_LISTED_FIELDS} more`);
  lines.push(
    '',
    'To make the render deterministic, set these values in the release values (from a secret store) or let cert-manager issue the ' +
      'certificates.',
    '',
  );
  return lines;
}
