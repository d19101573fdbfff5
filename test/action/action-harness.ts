import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { stringify } from 'yaml';

/** Identity of the people in the scenarios (fixture commits), passed per command. */
const AUTHOR = ['-c', 'user.name=Platform Dev', '-c', 'user.email=dev@example.com', '-c', 'commit.gpgsign=false'];

export const OWNER = 'acme';
export const REPO = 'platform';
export const REPOSITORY = `${OWNER}/${REPO}`;
export const PR_NUMBER = 42;
export const PR_BRANCH = 'renovate/webapp-1.x';

export async function git(cwd: string, ...args: string[]): Promise<string> {
  return (await execa('git', [...AUTHOR, ...args], { cwd })).stdout;
}

/** A chart of this test: a PersistentVolumeClaim (unless disabled) and a ConfigMap showing `probe`. */
export const STORAGE_CHART: Record<string, string> = {
  'Chart.yaml': 'apiVersion: v2\nname: storage\nversion: 0.1.0\n',
  'values.yaml': 'persistence:\n  enabled: true\n  size: 1Gi\nprobe: ""\n',
  'templates/pvc.yaml': [
    '{{- if .Values.persistence.enabled }}',
    'apiVersion: v1',
    'kind: PersistentVolumeClaim',
    'metadata:',
    '  name: {{ .Release.Name }}-data',
    '  namespace: {{ .Release.Namespace }}',
    'spec:',
    '  accessModes: [ReadWriteOnce]',
    '  resources:',
    '    requests:',
    '      storage: {{ .Values.persistence.size }}',
    '{{- end }}',
    '',
  ].join('\n'),
  'templates/configmap.yaml': [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: {{ .Release.Name }}-probe',
    '  namespace: {{ .Release.Namespace }}',
    'data:',
    '  probe: {{ .Values.probe | quote }}',
    '',
  ].join('\n'),
};

/**
 * The helmfile of the scenarios: one environment, a chart from the fixture repository and a local
 * chart. The `probe` value reads the variables a runner holds secrets in; helmfile must see none.
 */
export function helmfileText(repositoryUrl: string, webVersion: string): string {
  return [
    stringify({ environments: { staging: { values: ['../environments/staging/common.yaml'] } } }),
    '---',
    stringify({
      repositories: [{ name: 'fixtures', url: repositoryUrl }],
      releases: [
        {
          name: 'web',
          namespace: 'apps',
          chart: 'fixtures/webapp',
          version: webVersion,
          values: ['../environments/{{ .Environment.Name }}/web.yaml'],
        },
        {
          name: 'data',
          namespace: 'data',
          chart: '../charts/storage',
          values: [
            '../environments/{{ .Environment.Name }}/data.yaml',
            { probe: '{{ env "INPUT_TOKEN" }}|{{ env "ACTIONS_RUNTIME_TOKEN" }}|{{ env "GITHUB_TOKEN" }}' },
          ],
        },
      ],
    }),
  ].join('\n');
}

export async function writeFiles(root: string, files: Record<string, string>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    const target = join(root, path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, content);
  }
}

export interface PullRequestPayloadInput {
  baseSha: string;
  headSha: string;
  headRepository?: string;
  author?: string;
  labels?: string[];
  action?: string;
}

/** A `pull_request` event payload with the fields GitHub sends that matter here, shaped as GitHub shapes them. */
export function pullRequestPayload(input: PullRequestPayloadInput): unknown {
  const headRepository = input.headRepository ?? REPOSITORY;
  const repo = (fullName: string) => {
    const [owner, name] = fullName.split('/');
    return {
      id: 1,
      name,
      full_name: fullName,
      private: false,
      fork: fullName !== REPOSITORY,
      owner: { login: owner, type: 'Organization' },
      default_branch: 'main',
    };
  };
  const user = { login: input.author ?? 'renovate[bot]', id: 29139614, type: 'Bot' };
  return {
    action: input.action ?? 'synchronize',
    number: PR_NUMBER,
    pull_request: {
      url: `https://api.github.com/repos/${REPOSITORY}/pulls/${PR_NUMBER}`,
      id: 1,
      number: PR_NUMBER,
      state: 'open',
      locked: false,
      title: 'Update webapp to 1.1.0',
      user,
      labels: (input.labels ?? []).map((name, index) => ({ id: index + 1, name, color: 'ededed', default: false })),
      draft: false,
      head: { label: `${headRepository.split('/')[0]}:${PR_BRANCH}`, ref: PR_BRANCH, sha: input.headSha, user, repo: repo(headRepository) },
      base: {
        label: `${OWNER}:main`,
        ref: 'main',
        sha: input.baseSha,
        user: { login: OWNER, type: 'Organization' },
        repo: repo(REPOSITORY),
      },
      merged: false,
    },
    repository: repo(REPOSITORY),
    sender: user,
  };
}

export interface ActionRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
}

export interface RunActionOptions {
  bundle: string;
  workspace: string;
  apiUrl: string;
  payload: unknown;
  inputs?: Record<string, string>;
  eventName?: string;
  helmEnv: Record<string, string>;
  extraEnv?: Record<string, string>;
  /** Called with the runner's RUNNER_TEMP before the action starts (what earlier steps left there). */
  beforeRun?: (runnerTemp: string) => Promise<void>;
  /** Called with RUNNER_TEMP after the action ended, before the runner's directories are removed. */
  afterRun?: (runnerTemp: string) => Promise<void>;
}

/**
 * Runs the bundled action the way a runner does: `node index.js` with INPUT_* variables, the
 * event payload in a file, GITHUB_OUTPUT/GITHUB_STEP_SUMMARY files and a RUNNER_TEMP. GITHUB_ACTIONS
 * and RUNNER_TOOL_CACHE are not set, so the pinned tools come from the cache, not a download.
 */
export async function runAction(options: RunActionOptions): Promise<ActionRun> {
  const runner = await mkdtemp(join(tmpdir(), 'hydrate-runner-'));
  try {
    const eventPath = join(runner, 'event.json');
    await writeFile(eventPath, JSON.stringify(options.payload, null, 2));
    const outputPath = join(runner, 'output');
    const summaryPath = join(runner, 'summary.md');
    await writeFile(outputPath, '');
    await writeFile(summaryPath, '');
    await mkdir(join(runner, 'temp'));
    const inputs = { 'tool-install-method': 'go', token: 'ghs_installationtoken0000000000000000000', ...options.inputs };
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? runner,
      ...(process.env.HELMFILE_HYDRATE_CACHE ? { HELMFILE_HYDRATE_CACHE: process.env.HELMFILE_HYDRATE_CACHE } : {}),
      ...(process.env.XDG_CACHE_HOME ? { XDG_CACHE_HOME: process.env.XDG_CACHE_HOME } : {}),
      ...options.helmEnv,
      CI: 'true',
      GITHUB_EVENT_NAME: options.eventName ?? 'pull_request',
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_REPOSITORY: REPOSITORY,
      GITHUB_REPOSITORY_OWNER: OWNER,
      GITHUB_WORKSPACE: options.workspace,
      GITHUB_API_URL: options.apiUrl,
      GITHUB_SERVER_URL: 'https://github.example',
      GITHUB_RUN_ID: '4242',
      GITHUB_OUTPUT: outputPath,
      GITHUB_STEP_SUMMARY: summaryPath,
      GITHUB_TOKEN: 'ghs_environmenttoken00000000000000000000',
      ACTIONS_RUNTIME_TOKEN: 'actions-runtime-token-secret',
      RUNNER_TEMP: join(runner, 'temp'),
      NO_PROXY: '127.0.0.1',
      ...Object.fromEntries(Object.entries(inputs).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, value])),
      ...options.extraEnv,
    };
    await options.beforeRun?.(join(runner, 'temp'));
    const result = await execa('node', [options.bundle], {
      cwd: options.workspace,
      env,
      extendEnv: false,
      reject: false,
      timeout: 120_000,
    });
    await options.afterRun?.(join(runner, 'temp'));
    return {
      exitCode: result.exitCode ?? 1,
      stdout: result.stdout,
      stderr: result.stderr,
      outputs: parseOutputFile(await readFile(outputPath, 'utf8')),
      summary: await readFile(summaryPath, 'utf8'),
    };
  } finally {
    await rm(runner, { recursive: true, force: true });
  }
}

/** Reads the `name<<delimiter` blocks @actions/core writes to GITHUB_OUTPUT. */
function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const pattern = /^(.+?)<<(\S+)\n([\s\S]*?)\n\2$/gm;
  for (const match of text.matchAll(pattern)) outputs[match[1]!] = match[3]!;
  return outputs;
}
