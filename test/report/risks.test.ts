import { describe, expect, it } from 'vitest';
import { diffManifests } from '../../src/diff/diff-manifests.js';
import { buildCommentBody, buildMarkdownReport } from '../../src/report/markdown.js';
import { buildJsonReport } from '../../src/report/json.js';
import { buildTextReport } from '../../src/report/text.js';
import { GITHUB_COMMENT_MAX_CHARACTERS } from '../../src/report/limits.js';
import type { ReportInput } from '../../src/report/report-input.js';
import type { Risk } from '../../src/risk/types.js';
import { analyzeRisks } from '../../src/risk/analyze.js';
import { b64, configMap, countClosedFences, deployment, environment, release, secret } from '../diff/manifest-builder.js';

/** A chart bump that changes a selector, an image's major version and the shape of a config file, with a Secret. */
function riskyChange(): ReportInput {
  const web = (version: string, selector: string, image: string, config: string, password: string) => ({
    release: release('web', 'fixtures/webapp', version),
    objects: [
      (() => {
        const object = deployment('web', { chart: `webapp-${version}`, image });
        const spec = object.spec as { selector: { matchLabels: Record<string, string> }; template: { spec: Record<string, unknown> } };
        spec.selector.matchLabels = { app: selector };
        spec.template.spec.volumes = [{ name: 'config', configMap: { name: 'cfg' } }];
        return object;
      })(),
      configMap('cfg', { 'settings.json': config }),
      secret('creds', { password: b64(password) }),
    ],
  });
  const base = [
    environment('production', [
      web('1.0.0', 'web', 'nginx:1.27.0', '{\n  "listen": {"port": 80},\n  "token": "Token-Value-Base-1"\n}', 'Secret-Base-Value-1'),
    ]),
  ];
  const head = [
    environment('production', [
      web(
        '2.0.0',
        'webapp',
        'nginx:2.0.0',
        '{\n  "listen": {"address": ":80"},\n  "token": "Token-Value-Head-2"\n}',
        'Secret-Head-Value-2',
      ),
    ]),
  ];
  const diff = diffManifests(base, head);
  return {
    diff,
    risks: analyzeRisks({ base, head, sensitive: diff.sensitive }),
    base: { ref: 'main', sha: 'a'.repeat(40) },
    head: { ref: 'HEAD', sha: 'b'.repeat(40) },
  };
}

describe('the Risks section', () => {
  it('lists risks high first with severity, field, old -> new and what to do, before the findings and diffs (snapshot)', async () => {
    const input = riskyChange();
    const comment = buildCommentBody(input).body;
    expect(countClosedFences(comment)).toBeGreaterThan(0);
    const start = comment.indexOf('#### Risks');
    const section = comment.slice(start, comment.indexOf('\n#### ', start + 1) + 1);
    expect(section).toMatch(/^#### Risks \(3 risks: 1 high, 2 medium\)/);
    expect(section.indexOf(':red_circle: **high**')).toBeLessThan(section.indexOf(':orange_circle: **medium**'));
    expect(section).toContain('`spec.selector`: the Deployment&#39;s selector is immutable'.replace('&#39;', "'"));
    expect(section).toContain('To do: add the annotation');
    expect(section).toContain('- listen.port');
    for (const text of [comment, buildTextReport(input), buildJsonReport(input)])
      expect(text.split('\n').filter((line) => /Token-Value|Secret-(Base|Head)-Value|U2VjcmV0/.test(line))).toEqual([]);
    await expect(section).toMatchFileSnapshot('../fixtures/diff/risks-section.md');
    expect(buildTextReport(input)).toContain(
      'Risks (3 risks: 1 high, 2 medium):\n  [high] immutable-field (1 risk; https://github.com/helmfile-hydrate/helmfile-hydrate/blob/v1/docs/risks.md#immutable-field)\n' +
        '    to do: add the annotation `argocd.argoproj.io/sync-options: Replace=true`',
    );
    expect(buildTextReport(input)).toContain('\n    production/web Deployment.apps apps/web spec.selector: the Deployment');
    expect(JSON.parse(buildJsonReport(input)).risks.map((risk: { rule: string }) => risk.rule)).toEqual([
      'immutable-field',
      'embedded-config-changed',
      'image-major-bump',
    ]);
  });

  it('takes at most a quarter of the comment, high first, and counts the risks left out', () => {
    const input = riskyChange();
    const many: Risk[] = Array.from({ length: 2_000 }, (_, index) => ({
      ...input.risks![0]!,
      severity: index < 10 ? 'high' : 'medium',
      resource: { ...input.risks![0]!.resource, name: `web-${String(index).padStart(4, '0')}` },
    }));
    const comment = buildCommentBody({ ...input, risks: many }).body;
    expect(comment.length).toBeLessThanOrEqual(GITHUB_COMMENT_MAX_CHARACTERS);
    const section = comment.slice(comment.indexOf('#### Risks'), comment.indexOf('#### Container images'));
    expect(section.length).toBeLessThanOrEqual(GITHUB_COMMENT_MAX_CHARACTERS / 4);
    expect(section).toMatch(/^#### Risks \(2000 risks: 10 high, 1990 medium\)/);
    expect(section).toContain('apps/web-0000');
    expect(section).toMatch(/- … \d+ more risks: see the job summary or the report artifact/);
    // The full report (no budget) lists every one.
    expect(buildMarkdownReport({ ...input, risks: many }).body).toContain('apps/web-1999');
  });
});

describe('risks in several environments', () => {
  it('are listed once, naming the environments; the counts still count each', () => {
    const input = riskyChange();
    const twice = [...input.risks!, ...input.risks!.map((risk) => ({ ...risk, environment: 'staging' }))];
    const comment = buildCommentBody({ ...input, risks: twice }).body;
    expect(comment).toContain('#### Risks (6 risks: 2 high, 4 medium)');
    expect(comment.match(/:red_circle:/g)).toHaveLength(1);
    expect(comment).toContain(':red_circle: **high** · [`immutable-field`](');
    expect(comment).toContain('\n  - **production, staging** · web · `Deployment.apps apps/web` `spec.selector`: ');
    expect(buildTextReport({ ...input, risks: twice })).toContain('\n    production,staging/web Deployment.apps apps/web spec.selector: ');
  });
});
