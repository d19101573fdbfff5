import { renderRevisions } from '../../src/compare/render-sides.js';
import { diffManifests } from '../../src/diff/diff-manifests.js';
import type { RenderToolchain } from '../../src/render/settings.js';
import { analyzeRisks } from '../../src/risk/analyze.js';
import type { Risk } from '../../src/risk/types.js';
import type { GitopsRepo } from '../support/gitops-repo.js';

/** The risks of the change between two commits of a fixture repository, both rendered with the real helmfile. */
export async function risksOfCommits(repo: GitopsRepo, base: string, head: string, toolchain: RenderToolchain): Promise<Risk[]> {
  const revisions = await renderRevisions({ repository: repo.dir, base, head, helmfile: 'helmfile' }, toolchain);
  const diff = diffManifests(revisions.base.environments, revisions.head.environments);
  return analyzeRisks({ base: revisions.base.environments, head: revisions.head.environments, sensitive: diff.sensitive });
}
