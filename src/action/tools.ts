import * as core from '@actions/core';
import { ensureCommits } from '../git/revisions.js';
import { prepareToolchain, type Toolchain } from '../tools/toolchain.js';
import type { RunContext } from './run-context.js';

/** The tools phase: helm and helmfile ready, and both the base and head commits in the checkout. */
export async function prepareTools(run: RunContext): Promise<Toolchain> {
  const { pr, settings } = run;
  const tools = await prepareToolchain({ installMethod: settings.toolInstallMethod, log: (message) => core.info(message) });
  core.info(`helm ${tools.helm.version} (${tools.helm.source}: ${tools.helm.path})`);
  core.info(`helmfile ${tools.helmfile.version} (${tools.helmfile.source}: ${tools.helmfile.path})`);
  await ensureCommits(run.git, [pr.baseSha, pr.headSha], {
    fallbackRefs: [
      `+refs/pull/${pr.number}/head:refs/remotes/pull/${pr.number}/head`,
      `+refs/heads/${pr.baseRef}:refs/remotes/origin/${pr.baseRef}`,
    ],
    log: (message) => core.info(message),
    env: run.auth,
  });
  return tools;
}
