import { describe, expect, it } from 'vitest';
import { HelmfileOutputError, parseBuiltStates, parseListedReleases } from '../../src/render/helmfile-output.js';

describe('parseListedReleases', () => {
  it('reads the JSON list after any warnings helmfile printed first', () => {
    const stdout =
      'WARNING: deprecated key\n' +
      '[{"name":"web","namespace":"apps","enabled":true,"installed":true,"labels":"tier:front","chart":"repo/web","version":"1.2.0"},' +
      '{"name":"off","namespace":"apps","enabled":true,"installed":false,"labels":"","chart":"./charts/off","version":""}]';
    expect(parseListedReleases(stdout)).toEqual([
      { name: 'web', namespace: 'apps', chart: 'repo/web', version: '1.2.0', enabled: true, labels: 'tier:front' },
      { name: 'off', namespace: 'apps', chart: './charts/off', version: '', enabled: false, labels: '' },
    ]);
  });

  it('is an empty list when helmfile prints none', () => {
    expect(parseListedReleases('')).toEqual([]);
  });

  it('rejects a list whose shape is not what helmfile prints, naming the field', () => {
    expect(() => parseListedReleases('[{"name": 3}]')).toThrow(HelmfileOutputError);
    expect(() => parseListedReleases('[{"name": 3}]')).toThrow('/0/name must be string');
    expect(() => parseListedReleases('[{"name": "a",')).toThrow('helmfile list printed no JSON release list');
  });
});

describe('parseBuiltStates', () => {
  it('reads every state document, releases defaulting to none, aliases resolved', () => {
    const stdout = [
      'repositories:\n- name: repo\n  url: https://charts.example.org',
      'releases:\n- name: web\n  chart: repo/web\n  values:\n  - &shared {replicas: 2}\n  - *shared',
      '---\nhelmfiles:\n- path: other.yaml\n',
    ].join('\n');
    const states = parseBuiltStates(stdout);
    expect(states).toHaveLength(2);
    expect(states[0]!.releases[0]!.values).toEqual([{ replicas: 2 }, { replicas: 2 }]);
    expect(states[1]!.releases).toEqual([]);
  });

  it('rejects a state whose releases are not what helmfile prints', () => {
    expect(() => parseBuiltStates('releases:\n- chart: repo/web\n')).toThrow("/releases/0 must have required property 'name'");
    expect(() => parseBuiltStates('releases: [\n')).toThrow('helmfile build printed YAML that does not parse');
  });
});
