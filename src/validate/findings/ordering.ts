import type { Finding, SkippedResource } from './finding.js';

/** Findings in reading order: environment, file, line, path, message. Deterministic for equal inputs. */
export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort(
    (a, b) =>
      compare(a.environment, b.environment) ||
      compare(a.file, b.file) ||
      (a.line ?? 0) - (b.line ?? 0) ||
      compare(a.path, b.path) ||
      compare(a.message, b.message),
  );
}

export function sortSkipped(skipped: SkippedResource[]): SkippedResource[] {
  return skipped.sort((a, b) => compare(a.environment, b.environment) || compare(a.file, b.file));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
