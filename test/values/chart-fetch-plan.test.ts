import { describe, expect, it } from 'vitest';
import { chartFetchPlan } from '../../src/values/chart-fetch-plan.js';
import type { HelmfileState, HelmfileStateRelease } from '../../src/model/helmfile-state.js';

const repositories = [
  { name: 'cilium', url: 'https://helm.cilium.io' },
  { name: 'jetstack', url: 'https://charts.jetstack.io' },
];
const state = (releases: HelmfileStateRelease[], repos = repositories): HelmfileState => ({ repositories: repos, releases });
const cilium = (version = '1.19.0'): HelmfileStateRelease => ({ name: 'cilium', chart: 'cilium/cilium', version });
const certManager: HelmfileStateRelease = { name: 'cert-manager', chart: 'jetstack/cert-manager', version: 'v1.19.1' };
const config: HelmfileStateRelease = { name: 'platform-config', chart: './charts/platform-config' };

describe('chartFetchPlan', () => {
  it('fetches a chart every environment deploys at the same version once, in the first environment', () => {
    const plan = chartFetchPlan([
      { environment: 'production', states: [state([cilium(), certManager, config])] },
      { environment: 'staging', states: [state([cilium(), certManager, config])] },
    ]);
    expect(plan.get('production')).toEqual({ releases: 'all', sources: new Map() });
    expect(plan.get('staging')!.releases).toEqual([]);
    expect(plan.get('staging')!.sources.get('cilium')).toEqual({ environment: 'production', release: 'cilium' });
    expect(plan.get('staging')!.sources.get('platform-config')).toEqual({ environment: 'production', release: 'platform-config' });
  });

  it('fetches in each environment what differs: another version, repository URL, a version range, a chart helmfile changes', () => {
    const plan = chartFetchPlan([
      { environment: 'production', states: [state([cilium(), certManager, { ...config, jsonPatches: [{ op: 'add' }] }])] },
      { environment: 'staging', states: [state([cilium('1.19.1'), certManager, { ...config, jsonPatches: [{ op: 'add' }] }])] },
      {
        environment: 'lab',
        states: [state([cilium(), certManager], [{ name: 'cilium', url: 'https://mirror.example' }, repositories[1]!])],
      },
      { environment: 'dev', states: [state([cilium('~1.19.0'), { ...certManager, version: 'v1.19.1' }])] },
    ]);
    expect(plan.get('staging')!.releases).toEqual(['cilium', 'platform-config']);
    expect([...plan.get('staging')!.sources.keys()]).toEqual(['cert-manager']);
    expect(plan.get('lab')!.releases).toEqual(['cilium']);
    expect(plan.get('dev')!.releases).toEqual(['cilium']);
  });

  it('fetches everything, as without a plan, where the states are unknown or nothing is shared', () => {
    const plan = chartFetchPlan([
      { environment: 'production', states: undefined },
      { environment: 'staging', states: [state([cilium('1.18.0')])] },
      { environment: 'lab', states: [state([cilium('1.18.0'), { ...certManager, installed: false }])] },
    ]);
    expect(plan.get('production')!.releases).toBe('all');
    expect(plan.get('staging')!.releases).toBe('all');
    // cert-manager is not installed in lab: not checked there, and nothing fetched for it.
    expect(plan.get('lab')).toEqual({ releases: [], sources: new Map([['cilium', { environment: 'staging', release: 'cilium' }]]) });
  });

  it('shares a local chart only within the same helmfile of the state list', () => {
    const plan = chartFetchPlan([
      { environment: 'production', states: [state([config])] },
      { environment: 'staging', states: [state([]), state([config])] },
    ]);
    expect(plan.get('staging')!.releases).toBe('all');
  });
});
