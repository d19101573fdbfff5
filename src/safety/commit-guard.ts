import { formatResourceKey, resourceId } from '../model/resource-key.js';
import type { EnvironmentManifests, RenderedResource } from '../model/manifests.js';
import type { RenderFailure } from '../render/errors.js';
import { blockingRisks, describeBlockingRisks, type RiskThreshold } from '../risk/gate.js';
import type { Risk } from '../risk/types.js';

/**
 * Kinds whose deletion destroys what cannot be recreated from git: deleting a CRD deletes every
 * custom resource of it, a Namespace everything in it, a PVC or PV the data on the volume.
 * Argo CD prunes whatever disappears from git, so these never disappear without a person's yes.
 */
export const PROTECTED_KINDS: readonly { group: string; kind: string }[] = [
  { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition' },
  { group: '', kind: 'Namespace' },
  { group: '', kind: 'PersistentVolumeClaim' },
  { group: '', kind: 'PersistentVolume' },
];

export type GuardRule = 'render-failed' | 'empty-release' | 'validation-errors' | 'protected-deletion' | 'mass-deletion' | 'risk';

export interface GuardBlock {
  rule: GuardRule;
  /** What was found, naming environment, release and resource. */
  message: string;
  /** How a person allows the commit. */
  fix: string;
}

export interface CommitGuardInput {
  /** Every render failure, tagged with its side. */
  renderFailures: readonly RenderFailure[];
  /** The head render that would be committed. */
  rendered: readonly EnvironmentManifests[];
  /** What the head branch holds now for the same environments. */
  committed: readonly EnvironmentManifests[];
  /** Validation errors the pull request introduces (not those already on the base). */
  introducedValidationErrors: number;
  blockOnValidationErrors: boolean;
  deletionThresholdPercent: number;
  allowDeletionsLabel: string;
  labels: readonly string[];
  /** Risks of the change (src/risk); those at or above `blockOnRisk` block unless `allowRiskLabel` is set. */
  risks?: readonly Risk[];
  blockOnRisk?: RiskThreshold;
  allowRiskLabel?: string;
}

export interface CommitGuardDecision {
  allowed: boolean;
  /** What prevents the commit. */
  blocks: GuardBlock[];
  /** Deletions and risks that would block but their opt-in label allows. */
  allowedByLabel: GuardBlock[];
  /** Resources the commit removes, per environment (for the report). */
  deletions: { environment: string; resources: RenderedResource[]; committedCount: number }[];
}

/** Decides whether the rendered manifests may be committed (pure). */
export function evaluateCommitGuard(input: CommitGuardInput): CommitGuardDecision {
  const blocks = [...renderFailureBlocks(input), ...emptyReleaseBlocks(input), ...validationBlocks(input)];
  const { deletions, blocks: deletionBlocks } = deletionRules(input);
  const riskBlocks = riskRule(input);
  const labelled = input.labels.includes(input.allowDeletionsLabel);
  const riskLabelled = input.allowRiskLabel !== undefined && input.labels.includes(input.allowRiskLabel);
  const allBlocks = [...blocks, ...(labelled ? [] : deletionBlocks), ...(riskLabelled ? [] : riskBlocks)];
  const allowedByLabel = [...(labelled ? deletionBlocks : []), ...(riskLabelled ? riskBlocks : [])];
  return { allowed: allBlocks.length === 0, blocks: allBlocks, allowedByLabel, deletions };
}

function renderFailureBlocks(input: CommitGuardInput): GuardBlock[] {
  return input.renderFailures.map(({ context, message }) => {
    const where = [context.environment && `environment "${context.environment}"`, context.release && `release "${context.release}"`]
      .filter(Boolean)
      .join(', ');
    return {
      rule: 'render-failed',
      message: `the ${context.side ? `${context.side} ` : ''}render failed${where ? ` for ${where}` : ''}: ${firstLine(message)}`,
      fix: 'fix the render; nothing is committed while any environment fails, so committed manifests are never lost to a broken render',
    };
  });
}

function emptyReleaseBlocks(input: CommitGuardInput): GuardBlock[] {
  return input.rendered.flatMap((environment) =>
    environment.releases
      .filter(({ resources }) => resources.length === 0)
      .map(({ release }) => ({
        rule: 'empty-release' as const,
        message:
          `environment "${environment.environment}", release "${release.name}" renders no resources although it is still in ` +
          `the helmfile`,
        fix: 'fix the chart or values, or remove the release from the helmfile (or set installed: false) to delete its resources on purpose',
      })),
  );
}

function validationBlocks(input: CommitGuardInput): GuardBlock[] {
  if (!input.blockOnValidationErrors || input.introducedValidationErrors === 0) return [];
  return [
    {
      rule: 'validation-errors',
      message:
        `the pull request introduces ${input.introducedValidationErrors} validation ` +
        `error${input.introducedValidationErrors === 1 ? '' : 's'}`,
      fix: 'fix the errors listed in the report, or set the input block-on-validation-errors: false',
    },
  ];
}

/** What the change deletes per environment, and the deletions that need the label (protected kinds, too large a share). */
function deletionRules(input: CommitGuardInput): { deletions: CommitGuardDecision['deletions']; blocks: GuardBlock[] } {
  const deletions: CommitGuardDecision['deletions'] = [];
  const blocks: GuardBlock[] = [];
  const labelHint = `add the label "${input.allowDeletionsLabel}" to the pull request and re-run the workflow`;
  for (const committed of input.committed) {
    const rendered = input.rendered.find((environment) => environment.environment === committed.environment);
    if (!rendered) continue;
    const kept = new Set(rendered.releases.flatMap((release) => release.resources.map((resource) => resourceId(resource.key))));
    const before = committed.releases.flatMap((release) => release.resources);
    const removed = before.filter((resource) => !kept.has(resourceId(resource.key)));
    if (removed.length === 0) continue;
    deletions.push({ environment: committed.environment, resources: removed, committedCount: before.length });
    for (const resource of removed) {
      if (!PROTECTED_KINDS.some((kind) => kind.group === resource.key.group && kind.kind === resource.key.kind)) continue;
      blocks.push({
        rule: 'protected-deletion',
        message:
          `environment "${committed.environment}", release "${resource.release}": the change ` +
          `deletes ${formatResourceKey(resource.key)} (${resource.path}); Argo CD would delete it and what ` +
          `depends on it`,
        fix: labelHint,
      });
    }
    const percent = (removed.length / before.length) * 100;
    if (percent > input.deletionThresholdPercent) {
      blocks.push({
        rule: 'mass-deletion',
        message:
          `environment "${committed.environment}": the change removes ${removed.length} of ${before.length} resources ` +
          `(${Math.round(percent)}%), more than the deletion-threshold of ${input.deletionThresholdPercent}%`,
        fix: labelHint,
      });
    }
  }
  return { deletions, blocks };
}

function riskRule(input: CommitGuardInput): GuardBlock[] {
  const risky = blockingRisks(input.risks ?? [], input.blockOnRisk ?? 'none');
  if (risky.length === 0) return [];
  return [
    {
      rule: 'risk',
      message: describeBlockingRisks(risky),
      fix:
        `read each risk, then add the label "${input.allowRiskLabel}" to the pull request and re-run the workflow (the ` +
        `input block-on-risk is ${input.blockOnRisk})`,
    },
  ];
}

function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .find((line) => line.trim() !== '')
      ?.trim() ?? text
  );
}
