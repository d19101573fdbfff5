import { describe, expect, it } from 'vitest';
import { statusSection } from '../../src/action/status-section.js';
import { blockingRisks, DEFAULT_BLOCK_ON_RISK } from '../../src/risk/gate.js';
import type { Risk } from '../../src/risk/types.js';
import { evaluateCommitGuard, type CommitGuardInput } from '../../src/safety/commit-guard.js';

const risk = (severity: Risk['severity'], name: string): Risk => ({
  rule: severity === 'high' ? 'immutable-field' : 'image-major-bump',
  severity,
  environment: 'production',
  release: 'web',
  resource: { group: 'apps', kind: 'Deployment', namespace: 'apps', name },
  field: 'spec.selector',
  message: 'the selector is immutable',
  fix: 'replace it',
});
const guard = (overrides: Partial<CommitGuardInput>): CommitGuardInput => ({
  renderFailures: [],
  rendered: [],
  committed: [],
  introducedValidationErrors: 0,
  blockOnValidationErrors: true,
  deletionThresholdPercent: 50,
  allowDeletionsLabel: 'hydrate/allow-deletions',
  labels: [],
  blockOnRisk: DEFAULT_BLOCK_ON_RISK,
  allowRiskLabel: 'hydrate/allow-risk',
  ...overrides,
});

describe('the risk gate', () => {
  it('blocks on high risks by default, on medium ones too with block-on-risk: medium, never with none', () => {
    const risks = [risk('high', 'a'), risk('medium', 'b'), risk('low', 'c')];
    expect(blockingRisks(risks, 'high').map((r) => r.resource.name)).toEqual(['a']);
    expect(blockingRisks(risks, 'medium').map((r) => r.resource.name)).toEqual(['a', 'b']);
    expect(blockingRisks(risks, 'none')).toEqual([]);
    expect(evaluateCommitGuard(guard({ risks: [risk('medium', 'b')] }))).toMatchObject({ allowed: true, blocks: [] });
    expect(evaluateCommitGuard(guard({ risks: [risk('medium', 'b')], blockOnRisk: 'medium' })).allowed).toBe(false);
  });

  it('holds the commit back and says why and how to allow it; the label allows it and the status says so', () => {
    const blocked = evaluateCommitGuard(guard({ risks: [risk('high', 'a'), risk('high', 'b'), risk('high', 'c'), risk('high', 'd')] }));
    expect(blocked.allowed).toBe(false);
    expect(blocked.blocks).toEqual([
      {
        rule: 'risk',
        message:
          'the change has 4 high risks (listed under Risks): immutable-field on production/web Deployment.apps apps/a spec.selector; immutable-field on production/web Deployment.apps apps/b spec.selector; immutable-field on production/web Deployment.apps apps/c spec.selector and 1 more',
        fix: 'read each risk, then add the label "hydrate/allow-risk" to the pull request and re-run the workflow (the input block-on-risk is high)',
      },
    ]);
    const status = statusSection({
      branch: 'renovate/x',
      commit: { status: 'blocked' },
      guard: blocked,
      allowDeletionsLabel: 'hydrate/allow-deletions',
      allowRiskLabel: 'hydrate/allow-risk',
    });
    expect(status).toContain('Commit blocked');
    expect(status).toContain('To allow: read each risk, then add the label "hydrate/allow-risk"');

    const allowed = evaluateCommitGuard(guard({ risks: [risk('high', 'a')], labels: ['hydrate/allow-risk'] }));
    expect(allowed).toMatchObject({ allowed: true, blocks: [], allowedByLabel: [{ rule: 'risk' }] });
    const allowedStatus = statusSection({
      branch: 'renovate/x',
      commit: { status: 'up-to-date' },
      guard: allowed,
      allowDeletionsLabel: 'hydrate/allow-deletions',
      allowRiskLabel: 'hydrate/allow-risk',
    });
    expect(allowedStatus).toContain('Risks allowed by the `hydrate/allow-risk` label');
    expect(allowedStatus).not.toContain('Deletions allowed');
  });

  it('the deletions label does not allow risks, nor the risk label deletions', () => {
    expect(evaluateCommitGuard(guard({ risks: [risk('high', 'a')], labels: ['hydrate/allow-deletions'] })).allowed).toBe(false);
  });
});
