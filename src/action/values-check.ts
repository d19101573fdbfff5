import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as core from '@actions/core';
import { exportCommit } from '../git/export-commit.js';
import { findIgnoredValues, formatIgnoredValue, groupIgnoredValues, type IgnoredValue } from '../values/index.js';
import { revisionSettings } from './render.js';
import type { Reached } from './run-context.js';

/**
 * The values phase: values the head's charts ignore, checked in an export of the head commit (the same files the
 * head render used, whatever the workspace holds) and annotated on the values file.
 * Informational: a failing check is a warning, never a failed run.
 */
export async function checkIgnoredValues(run: Reached<'toolchain'>): Promise<IgnoredValue[]> {
  const directory = await mkdtemp(join(tmpdir(), 'helmfile-hydrate-values-head-'));
  let found: IgnoredValue[];
  try {
    await exportCommit(run.workspace, run.pr.headSha, directory);
    // Paths in findings are relative to the export: repository paths, as annotations need.
    found = await findIgnoredValues({ ...revisionSettings(run.settings), cwd: directory }, run.toolchain, directory);
  } catch (error) {
    core.warning(`values the charts ignore were not checked: ${(error as Error).message}`);
    return [];
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
  for (const group of groupIgnoredValues(found)) {
    core.warning(formatIgnoredValue(group), {
      title: 'value the chart ignores',
      file: group.file,
      ...(group.line ? { startLine: group.line } : {}),
    });
  }
  core.info(`${found.length} value(s) the charts ignore`);
  return found;
}
