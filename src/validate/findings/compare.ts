import { resourceId } from '../../model/resource-key.js';
import type { Finding, FindingsComparison } from './finding.js';

/**
 * Splits the head's findings into those the pull request introduces and those already on the base.
 * Findings match on environment, resource, JSON path and message, never on line numbers (an
 * unrelated change above moves lines). Equal findings are matched one to one.
 */
export function compareFindings(base: readonly Finding[], head: readonly Finding[]): FindingsComparison {
  const remaining = new Map<string, number>();
  for (const finding of base) remaining.set(identity(finding), (remaining.get(identity(finding)) ?? 0) + 1);
  const introduced: Finding[] = [];
  const preexisting: Finding[] = [];
  for (const finding of head) {
    const key = identity(finding);
    const count = remaining.get(key) ?? 0;
    if (count > 0) {
      remaining.set(key, count - 1);
      preexisting.push(finding);
    } else {
      introduced.push(finding);
    }
  }
  const resolved = base.filter((finding) => {
    const key = identity(finding);
    const count = remaining.get(key) ?? 0;
    if (count === 0) return false;
    remaining.set(key, count - 1);
    return true;
  });
  return { introduced, preexisting, resolved };
}

function identity(finding: Finding): string {
  return [finding.environment, resourceId(finding.resource), finding.path, finding.message].join('\u0000');
}
