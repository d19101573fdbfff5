import { formatResourceKey } from '../model/resource-key.js';
import type { Risk, RiskSeverity } from './types.js';

/** Lowest severity that blocks the commit; `none` never blocks. */
export type RiskThreshold = 'none' | 'high' | 'medium';

export const RISK_THRESHOLDS: readonly RiskThreshold[] = ['none', 'high', 'medium'];

/**
 * `high`: the risks that make the sync fail or are known to break a workload or the cluster's
 * critical path stop Renovate's automerge; `medium` risks (a major image bump, a reshaped config
 * file) are listed without blocking, since nearly every major upgrade has one and a gate that
 * always fires gets turned off.
 */
export const DEFAULT_BLOCK_ON_RISK: RiskThreshold = 'high';
export const DEFAULT_ALLOW_RISK_LABEL = 'hydrate/allow-risk';

const BLOCKING: Record<RiskThreshold, readonly RiskSeverity[]> = { none: [], high: ['high'], medium: ['high', 'medium'] };

/** The risks a threshold blocks on. */
export function blockingRisks(risks: readonly Risk[], threshold: RiskThreshold): Risk[] {
  return risks.filter((risk) => BLOCKING[threshold].includes(risk.severity));
}

/** Risks named in a block message before "and N more". */
const NAMED_RISKS = 3;

/** One line naming the blocking risks: `2 high risks: the sync fails on Deployment.apps apps/web spec.selector; ...`. */
export function describeBlockingRisks(risks: readonly Risk[]): string {
  const named = risks
    .slice(0, NAMED_RISKS)
    .map(
      (risk) =>
        `${risk.rule} on ${risk.environment}/${risk.release} ${formatResourceKey(risk.resource)}${risk.field ? ` ${risk.field}` : ''}`,
    );
  const more = risks.length > NAMED_RISKS ? ` and ${risks.length - NAMED_RISKS} more` : '';
  const severities = [...new Set(risks.map((risk) => risk.severity))].join('/');
  return (
    `the change has ${risks.length} ${severities} risk${risks.length === 1 ? '' : 's'} (listed under ` +
    `Risks): ${named.join('; ')}${more}`
  );
}
