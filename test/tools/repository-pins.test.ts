import { describe, expect, it } from 'vitest';
import { describeResolvedTool, toolPins } from '../../src/tools/tool-pins.js';
import { parseRepositoryPins, REPOSITORY_PINS_FILE, RepositoryPinsError } from '../../src/tools/repository-pins.js';
import { specAtVersion, toolSpec } from '../../src/tools/manifest.js';

const FILE = `${REPOSITORY_PINS_FILE} on main (1a2b3c4d5e6f)`;

describe('parseRepositoryPins', () => {
  it('reads the versions of helm and helmfile, dropping a leading v and keeping comments out', () => {
    const text = '# Tool versions this repository renders with; Renovate bumps them.\nhelm: v4.3.0\nhelmfile: "1.8.0" # pinned\n';
    expect(parseRepositoryPins(text, FILE)).toEqual({
      location: FILE,
      versions: { helm: '4.3.0', helmfile: '1.8.0' },
      environments: new Map(),
    });
  });

  it('accepts a file that pins one tool, or none', () => {
    expect(parseRepositoryPins('helmfile: 1.8.0\n', FILE).versions).toEqual({ helmfile: '1.8.0' });
    expect(parseRepositoryPins('# nothing pinned yet\n', FILE).versions).toEqual({});
    expect(parseRepositoryPins('', FILE).versions).toEqual({});
  });

  it.each([
    [
      'kubeconform: 0.7.0\n',
      `${FILE}: unknown key "kubeconform"; the file pins helm and helmfile and declares environments (remove "kubeconform", or fix its spelling)`,
    ],
    ['Helm: 4.3.1\n', `${FILE}: unknown key "Helm"`],
    [
      'helmfile: 1.8\n',
      `${FILE}: "helmfile: 1.8" is not a release version; write the full version X.Y.Z of the helmfile release, e.g. "helmfile: 1.8.0"`,
    ],
    [
      'helm: latest\n',
      `${FILE}: "helm: latest" is not a release version; write the full version X.Y.Z of the helm release, e.g. "helm: 4.3.1"`,
    ],
    ['helm: 4.3.1-rc.1\n', `"helm: 4.3.1-rc.1" is not a release version`],
    ['helm:\n', `"helm: " is not a release version`],
    ['helm: [4.3.1]\n', `"helm: ["4.3.1"]" is not a release version`],
    ['- helm: 4.3.1\n', `${FILE} must be a mapping of tool to version, e.g.\nhelm: 4.3.1\nhelmfile: 1.8.0`],
    ['helm: 4.3.1\nhelm: 4.3.0\n', `${FILE} is not valid YAML: Map keys must be unique`],
    ['helm: "4.3.1\n', `${FILE} is not valid YAML`],
  ])('refuses %j, quoting the entry and the fix', (text, message) => {
    expect(() => parseRepositoryPins(text, FILE)).toThrow(RepositoryPinsError);
    expect(() => parseRepositoryPins(text, FILE)).toThrow(message);
  });
});

describe('toolPins', () => {
  it("takes each tool the pin file names at its version, the others at tools.json's", () => {
    expect(toolPins({ location: FILE, versions: { helm: '4.3.0' } })).toEqual({
      helm: { version: '4.3.0', pinnedBy: REPOSITORY_PINS_FILE, location: FILE },
      helmfile: { version: toolSpec('helmfile').version, pinnedBy: 'tools.json', location: 'tools.json' },
    });
    expect(toolPins(undefined).helm).toEqual({ version: toolSpec('helm').version, pinnedBy: 'tools.json', location: 'tools.json' });
  });
});

describe('describeResolvedTool', () => {
  const pin = toolPins({ location: FILE, versions: { helm: '4.3.0' } }).helm;
  it('names the version, where it was pinned and where the binary came from', () => {
    expect(describeResolvedTool({ name: 'helm', version: '4.3.0', path: '/cache/helm', source: 'cache' }, pin)).toBe(
      `helm 4.3.0 (pinned in ${FILE}; cache: /cache/helm)`,
    );
    expect(describeResolvedTool({ name: 'helm', version: '4.3.1', path: '/usr/bin/helm', source: 'explicit' }, pin)).toBe(
      `helm 4.3.1 (explicit: /usr/bin/helm; 4.3.0 pinned in ${FILE})`,
    );
    expect(describeResolvedTool({ name: 'helmfile', version: '1.8.0', path: '/p', source: 'path' }, toolPins(undefined).helmfile)).toBe(
      "helmfile 1.8.0 (pinned in helmfile-hydrate's tools.json; path: /p)",
    );
  });
});

describe('specAtVersion', () => {
  it("never carries a digest pinned for tools.json's version to another version", () => {
    const pinned = { ...toolSpec('helm'), version: '4.3.1' };
    pinned.release.sha256 = { 'linux-amd64': 'ab'.repeat(32) };
    expect(specAtVersion(pinned, '4.3.1')).toBe(pinned);
    expect(specAtVersion(pinned, undefined)).toBe(pinned);
    const other = specAtVersion(pinned, '4.3.0');
    expect(other.version).toBe('4.3.0');
    expect(other.release.sha256).toEqual({});
    expect(other.go).toEqual(pinned.go);
    expect(other.release.url).toBe(pinned.release.url);
    expect(pinned.release.sha256).toEqual({ 'linux-amd64': 'ab'.repeat(32) });
  });
});
