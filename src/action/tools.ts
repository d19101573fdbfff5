import * as core from '@actions/core';
import { ensureCommits } from '../git/revisions.js';
import { readRepositoryPinsAt } from '../tools/repository-pins-file.js';
import { describeResolvedTool } from '../tools/tool-pins.js';
import { prepareToolchain, type Toolchain } from '../tools/toolchain.js';
import type { RunContext } from './run-context.js';

/**
 * The tools phase: both the base and head commits in the checkout, and helm and helmfile ready at
 * the versions the head pins in `.helmfile-hydrate.yaml` (tools.json's when it pins none).
 */
export async function prepareTools(run: RunContext): Promise<Toolchain> {
  const { pr, settings } = run;
  await ensureCommits(run.git, [pr.baseSha, pr.headSha], {
    fallbackRefs: [
      `+refs/pull/${pr.number}/head:refs/remotes/pull/${pr.number}/head`,
      `+refs/heads/${pr.baseRef}:refs/remotes/origin/${pr.baseRef}`,
    ],
    log: (message) => core.info(message),
    env: run.auth,
  });
  const versions = await readRepositoryPinsAt(run.git, pr.headSha, `${pr.headRef} (${pr.headSha.slice(0, 12)})`);
  const tools = await prepareToolchain({ installMethod: settings.toolInstallMethod, versions, log: (message) => core.info(message) });
  core.info(describeResolvedTool(tools.helm, tools.pins.helm));
  core.info(describeResolvedTool(tools.helmfile, tools.pins.helmfile));
  return tools;
}
