import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { git, PR_BRANCH, PR_NUMBER, pullRequestPayload, runAction } from './action-harness.js';
import { committedPlatform, pullRequestBranch, startActionScenario, type ActionScenario } from './action-scenario.js';

const TOKEN = 'ghs_installationtoken0000000000000000000';
const TLS = 'manifests/staging/gen/secret_apps_gen-tls.yaml';

/**
 * A chart that generates its webhook CA, certificate and a password on every render (genCA,
 * randAlphaNum, uuidv4, now): a pull request changing one of its values gets one commit, with the
 * CA committed on main kept; runs on the bot's own commit push nothing.
 */
describe('the action with a chart that generates values', () => {
  let scenario: ActionScenario;

  beforeAll(async () => {
    scenario = await startActionScenario('hydrate-generated-', TOKEN);
  });
  afterAll(() => scenario?.close());

  it('commits once across three runs and keeps the committed CA', async () => {
    const { main, baseSha } = await committedPlatform(
      scenario.scratch,
      { fixture: join('generator', '1.0.0'), name: 'gen' },
      {
        'helmfile/helmfile.yaml.gotmpl': `${stringify({ environments: { staging: {} } })}---\n${stringify({ releases: [{ name: 'gen', namespace: 'apps', chart: '../charts/gen', values: ['../environments/gen.yaml'] }] })}`,
        'environments/gen.yaml': stringify({ greeting: 'hello' }),
      },
    );
    const committedTls = await readFile(join(main, TLS), 'utf8');
    const { origin, workspace, headSha } = await pullRequestBranch(
      scenario.scratch,
      main,
      { 'environments/gen.yaml': stringify({ greeting: 'bonjour' }) },
      'greeting',
    );

    const tips: string[] = [];
    const comments: string[] = [];
    let head = headSha;
    for (let run = 0; run < 3; run++) {
      const result = await runAction({
        bundle: scenario.bundle,
        workspace,
        apiUrl: scenario.api.url,
        helmEnv: scenario.helm.env,
        payload: pullRequestPayload({ baseSha, headSha: head }),
        inputs: { token: TOKEN, 'kubernetes-schemas': scenario.schemas.baseUrl },
      });
      expect(result.exitCode, `${result.stdout}\n${result.stderr}`).toBe(0);
      head = await git(origin, 'rev-parse', `refs/heads/${PR_BRANCH}`);
      tips.push(head);
      comments.push((scenario.api.state.comments.get(PR_NUMBER) ?? [])[0]?.body ?? '');
      await git(workspace, 'fetch', '--quiet', 'origin');
      await git(workspace, 'checkout', '--quiet', '--detach', head);
    }
    expect(tips[0]).not.toBe(headSha);
    expect(new Set(tips)).toEqual(new Set([tips[0]]));
    expect(await git(origin, 'rev-list', '--count', `${headSha}..${tips[0]}`)).toBe('1');
    expect(await git(origin, 'show', `${tips[0]}:${TLS}`)).toBe(committedTls.trimEnd());
    expect(await git(origin, 'show', `${tips[0]}:manifests/staging/gen/configmap_apps_gen-greeting.yaml`)).toContain('greeting: "bonjour"');
    // The run that rendered the changed release found the generated values and said so; later runs
    // on the bot's commit render nothing (the fingerprints match).
    expect(comments[0]).toContain('Values the charts generate on every render');
  }, 240_000);
});
