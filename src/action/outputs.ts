import * as core from '@actions/core';
import type { JobOutcome } from './job-outcome.js';

/** The action's outputs (action.yml lists them). */
export function setOutputs(outputs: JobOutcome['outputs'] & { reportPath: string }): void {
  core.setOutput('changed', String(outputs.changed));
  core.setOutput('resources', String(outputs.counts.total));
  core.setOutput('resources-added', String(outputs.counts.added));
  core.setOutput('resources-changed', String(outputs.counts.changed));
  core.setOutput('resources-removed', String(outputs.counts.removed));
  core.setOutput('validation-errors', String(outputs.validationErrors));
  core.setOutput('report-path', outputs.reportPath);
  core.setOutput('commit-sha', outputs.commitSha);
}
