import { describe, expect, it } from 'vitest';
import { attributeCauses, toolchainChanges } from '../../src/compare/change-causes.js';
import { diffManifests } from '../../src/diff/diff-manifests.js';
import type { CommittedProvenance, EnvironmentManifests } from '../../src/model/manifests.js';
import { deployment, environment, release } from '../diff/manifest-builder.js';
import { unrequestedGroups } from '../../src/report/causes.js';
import { buildJsonReport } from '../../src/report/json.js';
import { buildMarkdownReport } from '../../src/report/markdown.js';
import { buildTextReport } from '../../src/report/text.js';

const TOOLS = { helm: '4.3.1', helmfile: '1.8.0' };

/** The base as committed: web and cache, each with the provenance a record gives. */
function committedBase(options: { web?: number; cache?: number; provenance?: Partial<CommittedProvenance> }): EnvironmentManifests {
  const manifests = environment('production', [
    { release: release('web'), objects: [deployment('web', { replicas: options.web ?? 1 })] },
    { release: release('cache'), objects: [deployment('cache', { replicas: options.cache ?? 1 })] },
  ]);
  return {
    ...manifests,
    committed: {
      recordedFingerprints: { web: 'web-1', cache: 'cache-1' },
      recordedTools: TOOLS,
      unrecordedFiles: [],
      inputsKnown: true,
      inputFingerprints: { web: 'web-1', cache: 'cache-1' },
      currentToolFingerprints: { web: 'web-1', cache: 'cache-1' },
      ...options.provenance,
    },
  };
}

/** The head as rendered, each release with its input fingerprint. */
function renderedHead(options: { web?: number; cache?: number; fingerprints?: Record<string, string>; tools?: typeof TOOLS }) {
  const manifests = environment('production', [
    { release: release('web'), objects: [deployment('web', { replicas: options.web ?? 1 })] },
    { release: release('cache'), objects: [deployment('cache', { replicas: options.cache ?? 1 })] },
  ]);
  const fingerprints = { web: 'web-1', cache: 'cache-1', ...options.fingerprints };
  return {
    ...manifests,
    tools: options.tools ?? TOOLS,
    releases: manifests.releases.map((entry) => ({ ...entry, fingerprint: fingerprints[entry.release.name as 'web'] })),
  };
}

function causes(base: EnvironmentManifests, head: EnvironmentManifests): Record<string, string | undefined> {
  const diff = diffManifests([base], [head]);
  attributeCauses(diff, [base], [head]);
  return Object.fromEntries(
    diff.environments[0]!.releases.flatMap((entry) =>
      entry.resources.filter((change) => change.cause).map((change) => [change.key.name, (change.causes ?? [change.cause]).join('+')]),
    ),
  );
}

describe('the cause of each change', () => {
  it("is the pull request when the release's inputs changed with the same tools", () => {
    const base = committedBase({});
    const head = renderedHead({ web: 2, fingerprints: { web: 'web-2' } });
    expect(causes(base, head)).toEqual({ web: 'pull-request' });
  });

  it('is drift when the record shows the committed files were rendered from other inputs, or a file is not as recorded', () => {
    // cache: recorded from other values; web: a file edited by hand on the base.
    const base = committedBase({
      provenance: {
        recordedFingerprints: { web: 'web-1', cache: 'cache-old' },
        unrecordedFiles: ['production/web/deployment.apps_apps_web.yaml'],
      },
    });
    const head = renderedHead({ web: 3, cache: 2 });
    expect(causes(base, head)).toEqual({ cache: 'drift', web: 'drift' });
  });

  it('is the toolchain when the same inputs render differently with other tool versions than those recorded', () => {
    const base = committedBase({ provenance: { recordedTools: { helm: '4.3.0', helmfile: '1.8.0' } } });
    const head = renderedHead({ web: 2 });
    expect(causes(base, head)).toEqual({ web: 'toolchain' });
    expect(toolchainChanges([base], [head])).toEqual([{ environment: 'production', tool: 'helm', from: '4.3.0', to: '4.3.1' }]);
  });

  it('lists every cause of a release both the pull request and drift changed, the pull request first', () => {
    const base = committedBase({ provenance: { recordedFingerprints: { web: 'web-old', cache: 'cache-1' } } });
    const head = renderedHead({ web: 2, fingerprints: { web: 'web-2' } });
    expect(causes(base, head)).toEqual({ web: 'pull-request+drift' });
  });

  it('is drift when nothing else explains a change, and the pull request for everything when the base was rendered', () => {
    expect(causes(committedBase({}), renderedHead({ cache: 5 }))).toEqual({ cache: 'drift' });
    const rendered = { ...committedBase({}), committed: undefined };
    expect(causes(rendered, renderedHead({ cache: 5 }))).toEqual({ cache: 'pull-request' });
  });

  it("counts changes as the pull request's when the base's inputs could not be read, but still names a file edited on the base", () => {
    const base = committedBase({
      provenance: {
        inputsKnown: false,
        currentToolFingerprints: {},
        inputFingerprints: {},
        unrecordedFiles: ['production/cache/deployment.apps_apps_cache.yaml'],
      },
    });
    expect(causes(base, renderedHead({ web: 2, cache: 2 }))).toEqual({ web: 'pull-request', cache: 'pull-request+drift' });
  });

  it('groups what the pull request did not ask for by cause, naming each file', () => {
    const base = committedBase({ provenance: { recordedTools: { helm: '4.3.0', helmfile: '1.8.0' } } });
    const head = renderedHead({ web: 2 });
    const diff = diffManifests([base], [head]);
    attributeCauses(diff, [base], [head]);
    diff.toolchain = toolchainChanges([base], [head]);
    expect(unrequestedGroups(diff)).toEqual([
      expect.objectContaining({
        cause: 'toolchain',
        entries: [{ file: 'production/web/deployment.apps_apps_web.yaml' }],
        tools: [{ environment: 'production', tool: 'helm', from: '4.3.0', to: '4.3.1' }],
      }),
    ]);
  });
});

describe('the reports of the causes', () => {
  it('label each change not asked for, and list hand edits with the diff the commit makes', () => {
    const base = committedBase({ provenance: { recordedFingerprints: { web: 'web-1', cache: 'cache-old' } } });
    const head = renderedHead({ cache: 2 });
    const diff = diffManifests([base], [head]);
    attributeCauses(diff, [base], [head]);
    const edited = committedBase({ web: 7, cache: 2 });
    diff.handEdits = diffManifests([edited], [head]).environments[0]!.releases.flatMap((entry) =>
      entry.resources.filter((change) => change.status === 'changed').map((change) => ({ ...change, cause: 'hand-edit' as const })),
    );
    const text = buildTextReport({ diff });
    expect(text).toContain('Not asked for by this pull request:');
    expect(text).toContain(
      "  drift: 1 resource (the base's committed manifests are not what the base's inputs render; merge deploys the render)",
    );
    expect(text).toContain('    production/web/deployment.apps_apps_web.yaml (+1 -1)');
    expect(text).toMatch(/^ {6}-\s+replicas: 7$/m);
    expect(text).toContain('cause: drift');
    const markdown = buildMarkdownReport({ diff }).body;
    expect(markdown).toContain('- **hand-edit**: 1 file (edited by hand on this branch; the action');
    expect(markdown).toContain('cause: **drift**');
    const json = JSON.parse(buildJsonReport({ diff })) as {
      handEdits: unknown[];
      environments: Array<{ releases: Array<{ resources: Array<{ cause: string }> }> }>;
    };
    expect(json.handEdits).toHaveLength(1);
    expect(json.environments[0]!.releases.flatMap((entry) => entry.resources.map((change) => change.cause))).toEqual(['drift']);
  });
});
