import * as core from '@actions/core';
import type { RenderSettings, RenderToolchain } from '../render/index.js';
import { findIgnoredValues, formatIgnoredValue, groupIgnoredValues, type IgnoredValue } from '../values/index.js';

/**
 * Values the head's charts ignore, checked in the workspace (the pull request's checkout) and
 * annotated on the values file. Informational: a failing check is a warning, never a failed run.
 */
export async function checkIgnoredValues(workspace: string, settings: RenderSettings, toolchain: RenderToolchain): Promise<IgnoredValue[]> {
  let found: IgnoredValue[];
  try {
    found = await findIgnoredValues({ ...settings, cwd: workspace }, toolchain, workspace);
  } catch (error) {
    core.warning(`values the charts ignore were not checked: ${(error as Error).message}`);
    return [];
  }
  for (const group of groupIgnoredValues(found)) {
    core.warning(formatIgnoredValue(group), { title: 'value the chart ignores', file: group.file, ...(group.line ? { startLine: group.line } : {}) });
  }
  core.info(`${found.length} value(s) the charts ignore`);
  return found;
}
