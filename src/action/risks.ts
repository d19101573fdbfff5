import * as core from '@actions/core';
import { riskCounts } from '../report/index.js';
import { analyzeRisks, type Risk } from '../risk/index.js';
import type { Reached } from './run-context.js';

/** The risks phase: what the change risks on the compared environments, annotated (low risks only logged). */
export function findRisks(run: Reached<'diff'>): Risk[] {
  const { diff, settings } = run;
  const generatedValues = diff.head.flatMap((environment) => environment.generated ?? []);
  const found = analyzeRisks({
    base: diff.base,
    head: diff.head,
    sensitive: diff.result.sensitive,
    generatedValues,
    podSecurityDefault: settings.podSecurityDefault,
  });
  core.info(found.length > 0 ? riskCounts(found) : 'no risks found');
  for (const risk of found) {
    const text = diff.result.sensitive.redact(
      `${risk.resource.kind} ${risk.resource.name}${risk.field ? ` ${risk.field}` : ''}: ${risk.message}; to do: ${risk.remedy}`,
    );
    if (risk.severity === 'low') core.info(`[low] ${text}`);
    else
      core.warning(text, {
        title: `${risk.severity} risk: ${risk.rule} (${risk.environment}/${risk.release})`,
        ...(risk.path ? { file: `${settings.outputDir}/${risk.path}` } : {}),
      });
  }
  return found;
}
