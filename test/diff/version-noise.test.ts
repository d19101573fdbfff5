import { describe, expect, it } from 'vitest';
import { diffManifests } from '../../src/diff/diff-manifests.js';
import { VersionPairs } from '../../src/diff/version-noise.js';
import { configMap, environment, release } from './manifest-builder.js';

/** A resource labelled the way kube-prometheus-stack labels its own and its subcharts' resources. */
function labelled(
  name: string,
  labels: Record<string, string>,
  data: Record<string, string> = { a: 'b' },
  annotations: Record<string, string> = {},
) {
  const object = configMap(name, data, labels);
  (object.metadata as Record<string, unknown>).annotations = annotations;
  return object;
}

describe('version noise by meaning', () => {
  it('treats any label or annotation that differs only by the bump versions as noise, whatever its key', () => {
    const kps = (version: string, grafana: string, grafanaApp: string, data = 'b') => [
      labelled('operator', {
        chart: `kube-prometheus-stack-${version}`,
        release: 'kps',
        'app.kubernetes.io/version': version,
        heritage: 'Helm',
      }),
      labelled(
        'grafana',
        { 'helm.sh/chart': `grafana-${grafana}`, 'app.kubernetes.io/version': grafanaApp, 'image-tag': grafanaApp },
        { a: data },
        { 'example.com/built-from': `grafana ${grafanaApp} (chart ${grafana})` },
      ),
      labelled('rules', { chart: `kube-prometheus-stack-${version}`, team: 'sre-1.2.3' }),
    ];
    const base = [
      environment('production', [
        { release: release('kps', 'prometheus-community/kube-prometheus-stack', '79.5.0'), objects: kps('79.5.0', '10.1.4', '12.2.1') },
      ]),
    ];
    const head = [
      environment('production', [
        {
          release: release('kps', 'prometheus-community/kube-prometheus-stack', '79.6.1'),
          objects: kps('79.6.1', '10.1.5', '12.3.0', 'c'),
        },
      ]),
    ];
    const diff = diffManifests(base, head);
    const [grafana, operator, rules] = diff.environments[0]!.releases[0]!.resources;
    expect(operator).toMatchObject({ noiseOnly: true, noise: ['chart-labels'] });
    expect(rules).toMatchObject({ noiseOnly: true, noise: ['chart-labels'] });
    // The real change stays; every version label and annotation is gone from its diff.
    expect(grafana!.noiseOnly).toBe(false);
    expect(grafana!.patch.split('\n').filter((line) => /^[+-]/.test(line))).toEqual(['-  a: b', '+  a: c']);
    expect(diff.environments[0]!.noiseOnly.count).toBe(2);
  });

  it('keeps a label whose change is more than a version, and any change when the noise filter is off', () => {
    const base = [
      environment('production', [
        { release: release('web', 'x/web', '1.0.0'), objects: [labelled('web', { chart: 'web-1.0.0', tier: 'web-1.0.0' })] },
      ]),
    ];
    const head = [
      environment('production', [
        { release: release('web', 'x/web', '1.1.0'), objects: [labelled('web', { chart: 'web-1.1.0', tier: 'api-1.1.0' })] },
      ]),
    ];
    const change = diffManifests(base, head).environments[0]!.releases[0]!.resources[0]!;
    expect(change.noiseOnly).toBe(false);
    expect(change.patch).toContain('+    tier: api-1.1.0');
    expect(change.patch).not.toContain('chart: web-1.1.0');
    const unfiltered = diffManifests(base, head, { noiseFilter: false }).environments[0]!.releases[0]!.resources[0]!;
    expect(unfiltered.patch).toContain('+    chart: web-1.1.0');
  });

  it('matches whole versions only, with or without a leading v', () => {
    const versions = new VersionPairs();
    versions.add('v1.2.3', 'v1.3.0');
    expect(versions.explains('cert-manager-v1.2.3', 'cert-manager-v1.3.0')).toBe(true);
    expect(versions.explains('1.2.3', '1.3.0')).toBe(true);
    expect(versions.explains('11.2.3', '11.3.0')).toBe(false);
    expect(versions.explains('1.2.3.4', '1.3.0.4')).toBe(false);
    expect(versions.explains('x-1.2.3', 'y-1.3.0')).toBe(false);
  });
});
