import { describe, expect, it } from 'vitest';
import { rehearsalRisks, type EnvironmentObservation } from '../../src/rehearsal/rehearsal-verdict.js';
import type { JudgedWorkload, WorkloadState } from '../../src/rehearsal/workload-states.js';

const workload = (name: string, kind = 'Deployment'): JudgedWorkload => ({
  environment: 'production',
  release: 'app',
  path: `production/app/${kind.toLowerCase()}.apps_apps_${name}.yaml`,
  key: { group: 'apps', kind, namespace: 'apps', name },
});

const state = (name: string, fields: Partial<WorkloadState> = {}): WorkloadState => ({
  workload: workload(name, fields.workload?.key.kind),
  desired: 2,
  ready: 2,
  updated: 2,
  complete: true,
  nodes: ['node-1', 'node-2'],
  reasons: [],
  ...fields,
});

const observation = (fields: Partial<EnvironmentObservation>): EnvironmentObservation => ({
  environment: 'production',
  head: { states: [] },
  objects: new Map(),
  unknownStorageClasses: [],
  ...fields,
});

describe('the rehearsal verdict', () => {
  it('blames a blocked rollout on the change only when the base rolled out (high), else says it was blocked already (medium)', () => {
    const blocked = state('web', {
      complete: false,
      updated: 0,
      reasons: ['unschedulable: 0/3 nodes are available: 3 Insufficient memory.'],
    });
    const risks = rehearsalRisks(observation({ base: { states: [state('web')] }, head: { states: [blocked] } }));
    expect(risks).toHaveLength(1);
    expect(risks[0]).toMatchObject({ rule: 'rollout-blocked', severity: 'high', path: 'production/app/deployment.apps_apps_web.yaml' });
    expect(risks[0]!.message).toContain('Insufficient memory');
    const already = rehearsalRisks(observation({ base: { states: [{ ...blocked }] }, head: { states: [blocked] } }));
    expect(already[0]).toMatchObject({ severity: 'medium' });
    expect(already[0]!.message).toContain('blocked on the base already');
  });

  it('names the nodes a DaemonSet no longer runs on', () => {
    const before = state('agent', { workload: workload('agent', 'DaemonSet'), nodes: ['cp-1', 'node-1'] });
    const after = { ...before, nodes: ['node-1'] };
    const [risk] = rehearsalRisks(observation({ base: { states: [before] }, head: { states: [after] } }));
    expect(risk).toMatchObject({ rule: 'rollout-blocked', severity: 'high', change: { from: 'cp-1, node-1', to: 'node-1' } });
  });

  it('reports what a lost node takes down only where the head is worse than the base: none left high, fewer medium', () => {
    const short = (name: string, ready: number) => ({ workload: workload(name), desired: 2, ready, reasons: [] });
    const base = { states: [], losses: [{ node: 'node-1', short: [short('same', 1)], budgets: [] }] };
    const head = {
      states: [],
      losses: [{ node: 'node-1', short: [short('same', 1), short('down', 0), short('fewer', 1)], budgets: [] }],
    };
    const risks = rehearsalRisks(observation({ base, head }));
    expect(risks.map((risk) => `${risk.resource.name} ${risk.rule} ${risk.severity}`)).toEqual([
      'down node-loss high',
      'fewer node-loss medium',
    ]);
    // The rebuild drill has no base: everything is reported.
    expect(rehearsalRisks(observation({ head })).map((risk) => risk.resource.name)).toEqual(['same', 'down', 'fewer']);
  });

  it('makes a claim of a StorageClass nobody defines a blocking risk naming the class', () => {
    const claim = {
      release: 'app',
      path: 'production/app/persistentvolumeclaim_apps_data.yaml',
      key: { group: '', kind: 'PersistentVolumeClaim', namespace: 'apps', name: 'data' },
    };
    const [risk] = rehearsalRisks(observation({ unknownStorageClasses: [{ claim, storageClass: 'fast' }] }));
    expect(risk).toMatchObject({ rule: 'rollout-blocked', severity: 'high', field: 'spec.storageClassName' });
    expect(risk!.message).toContain('"fast"');
  });
});
