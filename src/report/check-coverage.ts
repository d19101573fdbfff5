import { code, escapeHtml } from './markdown-text.js';

/** What an extra check of the comparison (the API server sync check) covered, and what it could not exercise. */
export interface CheckCoverage {
  /** The check's name: `api-server`. */
  check: string;
  /** One sentence: what judged what (`kube-apiserver 1.35.0 synced production: loki, grafana`). */
  summary: string;
  /** Objects the check applied without running what they configure, with why. */
  notExercised: { path: string; reason: string }[];
  /** What the list is called: `not exercised` (the API server), `not checked` (the image check's registries). */
  notExercisedLabel?: string;
}

/** One folded block per check, under the risks: it says what a green check covers and what it does not. */
export function checkCoverageMarkdownLines(checks: readonly CheckCoverage[]): string[] {
  return checks.flatMap((check) => {
    const label = check.notExercisedLabel ?? 'not exercised';
    const summary = `${escapeHtml(check.summary)}${check.notExercised.length ? `; ${check.notExercised.length} ${label}` : ''}`;
    if (check.notExercised.length === 0) return [`_${summary}._`, ''];
    return [
      `<details><summary>${summary}</summary>`,
      '',
      ...check.notExercised.map((item) => `- ${code(item.path)}: ${escapeHtml(item.reason)}`),
      '',
      '</details>',
      '',
    ];
  });
}

export function checkCoverageTextLines(checks: readonly CheckCoverage[]): string[] {
  return checks.flatMap((check) => [
    '',
    `${check.summary}${check.notExercised.length ? `; ${check.notExercisedLabel ?? 'not exercised'} (${check.notExercised.length}):` : '.'}`,
    ...check.notExercised.map((item) => `  ${item.path}: ${item.reason}`),
  ]);
}
