import * as core from '@actions/core';
import { renderFailures } from '../compare/stages.js';
import { riskCounts } from '../report/risks.js';
import { findingAnnotation } from '../validate/findings/output.js';
import { formatIgnoredValue, groupIgnoredValues } from '../values/ignored-value.js';
import type { RunContext } from './run-context.js';

/**
 * Annotates what the run found on the files it concerns: render failures, the validation findings
 * the pull request introduces, values the charts ignore (warnings), and the risks (low ones only logged).
 */
export function annotateFindings(run: RunContext): void {
  const { settings } = run;
  for (const failure of renderFailures(run.renders)) core.error(failure.message);
  for (const finding of run.validation?.findings?.introduced ?? []) {
    const annotation = findingAnnotation(finding, settings.outputDir);
    core.error(annotation.message, annotation.properties);
  }
  for (const group of groupIgnoredValues(run.ignoredValues ?? [])) {
    core.warning(formatIgnoredValue(group), {
      title: 'value the chart ignores',
      file: group.file,
      ...(group.line ? { startLine: group.line } : {}),
    });
  }
  if (run.risks && run.diff) annotateRisks(run, run.risks, run.diff.result.sensitive);
}

function annotateRisks(run: RunContext, risks: NonNullable<RunContext['risks']>, sensitive: { redact(text: string): string }): void {
  core.info(risks.length > 0 ? riskCounts(risks) : 'no risks found');
  for (const risk of risks) {
    const text = sensitive.redact(
      `${risk.resource.kind} ${risk.resource.name}${risk.field ? ` ${risk.field}` : ''}: ${risk.message}; to do: ${risk.fix}`,
    );
    if (risk.severity === 'low') core.info(`[low] ${text}`);
    else
      core.warning(text, {
        title: `${risk.severity} risk: ${risk.rule} (${risk.environment}/${risk.release})`,
        ...(risk.path ? { file: `${run.settings.outputDir}/${risk.path}` } : {}),
      });
  }
}
