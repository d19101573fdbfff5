import { describe, expect, it } from 'vitest';
import { diffManifests } from '../../src/diff/diff-manifests.js';
import { buildCommentBody, buildJobSummary, buildMarkdownReport } from '../../src/report/markdown.js';
import { buildJsonReport } from '../../src/report/json.js';
import { buildTextReport } from '../../src/report/text.js';
import { GITHUB_COMMENT_MAX_CHARACTERS } from '../../src/report/limits.js';
import type { Finding } from '../../src/validate/findings/finding.js';
import { b64, configMap, countClosedFences, deployment, environment, release, secret } from '../diff/manifest-builder.js';

const MARKER = '<!-- helmfile-hydrate:diff -->';
const revisions = { base: { ref: 'origin/main', sha: 'a'.repeat(40) }, head: { ref: 'HEAD', sha: 'b'.repeat(40) } };

function smallDiff() {
  const base = [
    environment('production', [
      {
        release: release('web', 'fixtures/webapp', '1.0.0'),
        objects: [
          deployment('web', { chart: 'webapp-1.0.0' }),
          configMap('cfg', { a: 'b' }, { 'helm.sh/chart': 'webapp-1.0.0' }),
          secret('creds', { password: b64('hunter2-secret') }),
        ],
      },
      { release: release('old', 'fixtures/old', '0.1.0'), objects: [configMap('legacy', { README: 'see\n```\ncode\n```\n' })] },
    ]),
  ];
  const head = [
    environment('production', [
      {
        release: release('web', 'fixtures/webapp', '1.1.0'),
        objects: [
          deployment('web', { chart: 'webapp-1.1.0', image: 'nginx:1.28.0' }),
          configMap('cfg', { a: 'b' }, { 'helm.sh/chart': 'webapp-1.1.0' }),
          secret('creds', { password: b64('hunter3-secret') }),
        ],
      },
    ]),
  ];
  return diffManifests(base, head);
}

const finding: Finding = {
  environment: 'production',
  release: 'web',
  resource: { group: 'apps', kind: 'Deployment', namespace: 'apps', name: 'web' },
  apiVersion: 'apps/v1',
  file: 'production/web/deployment.apps_apps_web.yaml',
  line: 9,
  path: '.spec.replicas',
  message: 'expected integer, got string',
  rule: 'schema',
};

describe('markdown report', () => {
  it('renders the small case (snapshot)', async () => {
    const input = { ...revisions, diff: smallDiff(), findings: { introduced: [finding], preexisting: [finding, finding] } };
    const comment = buildCommentBody(input, { marker: MARKER });
    expect(comment.body.startsWith(`${MARKER}\n`)).toBe(true);
    expect(countClosedFences(comment.body)).toBe(3);
    expect(comment.body).not.toContain('hunter');
    expect(comment.body).not.toContain(b64('hunter2-secret'));
    await expect(comment.body).toMatchFileSnapshot('../fixtures/diff/small-comment.md');
    await expect(buildTextReport(input)).toMatchFileSnapshot('../fixtures/diff/small-report.txt');
    await expect(buildJsonReport(input)).toMatchFileSnapshot('../fixtures/diff/small-report.json');
    expect(buildCommentBody(input, { marker: MARKER }).body).toBe(comment.body);
  });

  it('says "nothing to report" on one line', () => {
    const same = [environment('production', [{ release: release('web'), objects: [configMap('cfg', { a: 'b' })] }])];
    const body = buildCommentBody({ diff: diffManifests(same, same) }, { marker: MARKER }).body;
    expect(body).toBe(`${MARKER}**helmfile-hydrate: rendered manifests**: no changes in production.\n`);
    expect(body.trimEnd().split('\n')).toHaveLength(1);
  });

  it('cuts a huge report to fit the comment, never inside a fence, deletions first', () => {
    const many = (prefix: string, lines: number) =>
      Array.from({ length: 120 }, (_, i) =>
        configMap(`${prefix}-${String(i).padStart(2, '0')}`, {
          body: Array.from({ length: lines }, (_, n) => `line ${n} of ${prefix} ${i} \`\`\`\``).join('\n'),
        }),
      );
    const base = [
      environment('production', [
        {
          release: release('big'),
          objects: [
            ...many('keep', 80),
            {
              apiVersion: 'v1',
              kind: 'PersistentVolumeClaim',
              metadata: { name: 'data', namespace: 'apps' },
              spec: { resources: { requests: { storage: '1Gi' } } },
            },
          ],
        },
      ]),
    ];
    const head = [
      environment('production', [
        { release: release('big'), objects: many('keep', 81).map((o, i) => (i % 2 ? o : { ...o, data: { body: `changed ${i}` } })) },
      ]),
    ];
    const input = { diff: diffManifests(base, head) };
    const comment = buildCommentBody(input, { marker: MARKER });
    expect(comment.body.length).toBeLessThanOrEqual(GITHUB_COMMENT_MAX_CHARACTERS);
    expect(comment.omittedResources).toBeGreaterThan(0);
    expect(comment.body).toContain(`**${comment.omittedResources} more resources not shown**: see the job summary or the report artifact.`);
    expect(countClosedFences(comment.body)).toBe(comment.shownResources);
    expect(comment.body).toContain('`PersistentVolumeClaim apps/data`** removed');
    const summary = buildJobSummary(input);
    expect(summary.omittedResources).toBe(0);
    const full = buildMarkdownReport(input);
    expect(full.shownResources).toBe(121);
    countClosedFences(full.body);
  });
});

describe('values the charts ignore in the report', () => {
  const ignored = ['staging', 'production'].map((environment) => ({
    environment,
    release: 'cilium',
    chart: 'cilium/cilium@1.19.0',
    file: 'helmfile/values/cilium.yaml.gotmpl',
    line: 38,
    key: 'hubble.tls.auto.schedul',
    closest: 'hubble.tls.auto.schedule',
  }));

  it('lists each key once with the file, line, environments and the nearest key, without any value', () => {
    const body = buildCommentBody(
      { ...revisions, diff: smallDiff(), findings: { introduced: [], preexisting: [] }, ignoredValues: ignored },
      { marker: MARKER },
    ).body;
    expect(body).toContain(
      '#### Values the charts ignore (1)\n\n- `helmfile/values/cilium.yaml.gotmpl:38` `hubble.tls.auto.schedul`: not a value of cilium/cilium@1.19.0 (staging, production/cilium); did you mean `hubble.tls.auto.schedule`?\n',
    );
  });

  it('is reported even when the rendered manifests do not change', () => {
    const same = [environment('production', [{ release: release('web'), objects: [configMap('cfg', { a: 'b' })] }])];
    const body = buildCommentBody({ diff: diffManifests(same, same), ignoredValues: ignored }, { marker: MARKER }).body;
    expect(body).toContain('#### Values the charts ignore (1)');
  });
});
