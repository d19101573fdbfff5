/**
 * Benchmark on the real platform (this repository's helmfile/ + environments/, the upstream charts
 * of ../shared/charts through the chart mirror): a Renovate bump of one release of 16, and a change
 * every release sees, measured against what a user would otherwise run, in one run on one machine.
 * See bench/platform/README.md for the method and the figures.
 *
 *   npx tsx bench/platform/run.ts [runs = 3]
 */
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import { performance } from 'node:perf_hooks';
import { execa } from 'execa';
import { ManifestStage } from '../../src/git/manifest-stage.js';
import { parseChartMirror, startChartMirror } from '../../src/render/chart-mirror.js';
import { readManifestTree } from '../../src/render/committed-manifests.js';
import { HelmfileCommand } from '../../src/render/helmfile.js';
import { prepareToolchain } from '../../src/tools/toolchain.js';
import { resolveTool } from '../../src/tools/resolve.js';
import { KUBERNETES_OPENAPI_DOCUMENTS, startKubernetesOpenApiServer } from '../../test/support/kubernetes-openapi-server.js';
import { PLATFORM_ENVIRONMENTS, REPOSITORY_ROOT } from '../../test/platform/support/platform.js';
import { requireSharedCharts } from '../../test/support/shared-charts.js';
import { startLocalServer } from '../../test/support/static-server.js';
import { startGitHubApiServer } from '../../test/support/github-api-server.js';
import { OWNER, PR_BRANCH, pullRequestPayload, REPO, runAction } from '../../test/action/action-harness.js';
import { kubeconformArguments, serveKubeconformSchemas, writeKubeconformSchemas } from '../validate/kubeconform-schemas.js';
import { BUMPED_RELEASE, buildChartMirror, createPlatformRepository, GLOBAL_CHANGE, pointRepositoriesAt } from './setup.js';

const runs = Number(process.argv[2] ?? 3);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`runs must be a whole number >= 1, not "${process.argv[2]}"`);
/** Steps to time (comma-separated names of `steps` below, e.g. `hydrateBump,actionBump`); default every one. */
const only = process.argv[3]?.split(',').filter(Boolean);
const KUBERNETES_VERSION = '1.35';
const QUIET = { HELMFILE_UPGRADE_NOTICE_DISABLED: 'true' };
/** The issue's goals (issue 15), printed next to the figures. */
const GOALS = {
  diffSpeedup: 5,
  overheadOverRelease: 1.25,
  globalNoSlowerThanNaive: 1,
  commitMs: 1000,
  validateOverKubeconform: 2,
  /** Issue 21: the action on a one-release bump within this factor of `diff --base` on the same change. */
  actionOverDiff: 1.3,
  /** Issue 19: what the API server sync check may add to `diff --base` of a one-release bump. */
  syncCheckMs: 3_000,
  /** Issue 26: what the rollout rehearsal (and production's node-loss drill) may add to `diff --base` of a one-release bump. */
  rehearsalMs: 8_000,
  /** Issue 19: the whole production environment applied to an empty API server. */
  productionDrillMs: 15_000,
};

/**
 * Today's medians (bench/platform/README.md, 3 runs on the 2-core development VM, before "render only
 * what changed"): the reference of the "vs today" column (absolute, so load-sensitive) and of the
 * global-change goal (as a ratio to the naive script of the same run).
 */
const TODAY_MS: Partial<Record<string, number>> = {
  naiveBump: 12_090,
  hydrateBump: 51_750,
  render: 31_740,
  releaseAlone: 1_370,
  releaseAloneThroughMirror: 4_260,
  naiveGlobal: 7_040,
  hydrateGlobal: 37_420,
  kubeconform: 1_660,
  validate: 8_600,
  commit: 5_260,
};
/** Run-to-run spread of the ratios on the shared VM (README): "no slower" allows this factor before saying "NOT met". */
const NOISE_MARGIN = 1.1;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
async function time(task: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await task();
  return performance.now() - started;
}
const log = (message: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${message}\n`);

const toolchain = await prepareToolchain({ env: QUIET });
const kubeconform = await resolveTool('kubeconform');
const work = await mkdtemp(join(tmpdir(), 'hydrate-bench-platform-'));
const cleanups: Array<() => Promise<unknown>> = [() => rm(work, { recursive: true, force: true })];
try {
  // --- Setup (not timed) -------------------------------------------------------------------------
  const mirror = join(work, 'mirror');
  await buildChartMirror(requireSharedCharts(), mirror, join(work, 'chart-build'), toolchain.helm.path, toolchain.env);
  const platform = await createPlatformRepository(REPOSITORY_ROOT, join(work, 'platform'));
  log(
    `platform repository ${platform.directory}: base ${platform.base.slice(0, 12)}, bump ${platform.bump.slice(0, 12)}, global ${platform.global.slice(0, 12)}`,
  );

  // The naive script reads the same mirror over HTTP: its helmfile's repository URLs point here.
  const mirrorServer = await startLocalServer((request, response) => {
    const path = resolve(mirror, `.${decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)}`);
    if (!path.startsWith(mirror + sep)) return void response.writeHead(404).end();
    stat(path).then(
      (info) => {
        if (!info.isFile()) return void response.writeHead(404).end();
        response.writeHead(200, { 'content-length': info.size });
        createReadStream(path).pipe(response);
      },
      () => response.writeHead(404).end(),
    );
  });
  cleanups.unshift(() => mirrorServer.close());

  // helmfile-hydrate as users run it: the CLI bundled now from src/ (scripts/bundle.mjs), run by node.
  const bundleDirectory = join(work, 'dist');
  const { bundle } = (await import(new URL('../../scripts/bundle.mjs', import.meta.url).href)) as {
    bundle: (outdir: string) => Promise<void>;
  };
  await bundle(bundleDirectory);
  const cli = join(bundleDirectory, 'cli.js');
  const hydrate = async (args: string[], cwd: string) => {
    const result = await execa(process.execPath, [cli, ...args], { cwd, reject: false, env: QUIET });
    if (result.exitCode !== 0)
      throw new Error(`helmfile-hydrate ${args.join(' ')} exited ${result.exitCode}:\n${result.stderr.split('\n').slice(-30).join('\n')}`);
    return result;
  };

  /** The files of `sha` the naive script needs, exported (git archive), repositories pointed at the mirror server. */
  const exportForNaive = async (sha: string, directory: string) => {
    await mkdir(directory, { recursive: true });
    await execa('sh', [
      '-c',
      `git -C "$1" archive --format=tar "$2" helmfile environments | tar -x -C "$3"`,
      'export',
      platform.directory,
      sha,
      directory,
    ]);
    const helmfilePath = join(directory, 'helmfile', 'helmfile.yaml.gotmpl');
    await writeFile(helmfilePath, pointRepositoriesAt(await readFile(helmfilePath, 'utf8'), mirrorServer.url));
    return helmfilePath;
  };
  /** `helmfile template` of one environment into `output/<release>/`, in a helm home of its own (parallel helmfiles must not share repositories.yaml). */
  const helmfileTemplate = async (
    helmfilePath: string,
    environment: string,
    output: string,
    selectors: string[] = [],
    helm = toolchain.helm.path,
  ) =>
    // The product's helmfile wrapper runs the same command a user would (template of every release into a directory).
    new HelmfileCommand({ helmfile: toolchain.helmfile.path, helm, file: helmfilePath, env: toolchain.env }).template(environment, output, {
      selectors,
    });

  /** a/e. The naive script: export base and head, helmfile template of both environments on both in parallel, diff -ru. */
  let naiveDiffLines = 0;
  const naive = async (head: string) => {
    const directory = await mkdtemp(join(work, 'naive-'));
    try {
      const sides = { base: platform.base, head };
      const helmfiles = Object.fromEntries(
        await Promise.all(
          Object.entries(sides).map(async ([side, sha]) => [side, await exportForNaive(sha, join(directory, side))] as const),
        ),
      );
      await Promise.all(
        Object.keys(sides).flatMap((side) =>
          PLATFORM_ENVIRONMENTS.map((environment) =>
            helmfileTemplate(helmfiles[side]!, environment, join(directory, 'out', side, environment)),
          ),
        ),
      );
      const diff = await execa('diff', ['-ru', 'base', 'head'], { cwd: join(directory, 'out'), reject: false, maxBuffer: 1 << 30 });
      if (diff.exitCode !== 0 && diff.exitCode !== 1) throw new Error(`diff -ru exited ${diff.exitCode}: ${diff.stderr}`);
      naiveDiffLines = diff.stdout.split('\n').length;
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  };

  // Both `diff --base` and the action validate; the Kubernetes OpenAPI documents come from 127.0.0.1.
  const openapi = await startKubernetesOpenApiServer();
  cleanups.unshift(() => openapi.close());

  /** b/e. helmfile-hydrate diff --base <sha> in the scratch repository (it exports both commits itself). */
  let hydrateReportBytes = 0;
  const rehearsalTimings: string[] = [];
  const hydrateDiff = async (head: string, extra: string[] = []) => {
    const report = join(work, 'report.md');
    const result = await hydrate(
      [
        'diff',
        ...extra,
        '--base',
        platform.base,
        '--head',
        head,
        '--chart-mirror',
        mirror,
        '--kubernetes-schemas',
        openapi.baseUrl,
        '--report-file',
        report,
      ],
      platform.directory,
    );
    hydrateReportBytes = (await stat(report)).size;
    // The CLI logs where the rehearsal's time went (settling, node loss): kept per run for the table's notes.
    const rehearsal = /rehearsal: [\d.]+ s preparing, [\d.]+ s settling, [\d.]+ s losing nodes/.exec(result.stderr)?.[0];
    if (rehearsal && !extra.length) rehearsalTimings.push(rehearsal);
  };

  /** c. helmfile-hydrate render (both environments) in a checkout of the head; the checkout is reset afterwards. */
  const git = (...args: string[]) => execa('git', args, { cwd: platform.directory });
  const hydrateRender = async () => {
    await git('checkout', '--quiet', '--force', platform.bump);
    try {
      await hydrate(['render', '--chart-mirror', mirror], platform.directory);
    } finally {
      await git('reset', '--quiet', '--hard');
      await git('clean', '--quiet', '-fdx');
    }
  };

  /** d. helmfile template of the changed release alone, both environments in parallel (as render runs them). */
  const releaseExport = await exportForNaive(platform.bump, join(work, 'release-only'));
  const releaseAlone = async () => {
    const output = await mkdtemp(join(work, 'release-out-'));
    try {
      await Promise.all(
        PLATFORM_ENVIRONMENTS.map((environment) =>
          helmfileTemplate(releaseExport, environment, join(output, environment), [`name=${BUMPED_RELEASE}`]),
        ),
      );
    } finally {
      await rm(output, { recursive: true, force: true });
    }
  };

  /**
   * d'. The same through helmfile-hydrate's chart mirror (the helm wrapper it gives helmfile, which
   * starts node for every helm call), on the unchanged helmfile: the floor of any render that
   * uses --chart-mirror, as b, c and e do.
   */
  const releaseMirrorExport = join(work, 'release-only-mirror');
  await mkdir(releaseMirrorExport);
  await execa('sh', [
    '-c',
    `git -C "$1" archive --format=tar "$2" helmfile environments | tar -x -C "$3"`,
    'export',
    platform.directory,
    platform.bump,
    releaseMirrorExport,
  ]);
  const activeMirror = await startChartMirror(parseChartMirror([mirror], work), toolchain.helm.path);
  cleanups.unshift(() => activeMirror.close());
  const releaseAloneThroughMirror = async () => {
    const output = await mkdtemp(join(work, 'release-out-'));
    try {
      const helmfilePath = join(releaseMirrorExport, 'helmfile', 'helmfile.yaml.gotmpl');
      await Promise.all(
        PLATFORM_ENVIRONMENTS.map((environment) =>
          helmfileTemplate(helmfilePath, environment, join(output, environment), [`name=${BUMPED_RELEASE}`], activeMirror.helm),
        ),
      );
    } finally {
      await rm(output, { recursive: true, force: true });
    }
  };

  // f. validate --manifests of the committed platform manifests vs kubeconform on the same files.
  const committedManifests = join(platform.directory, 'manifests');
  const committed = await readManifestTree(committedManifests);
  const resourceCount = committed.reduce(
    (sum, environment) => sum + environment.releases.reduce((n, release) => n + release.resources.length, 0),
    0,
  );
  const kubeconformSchemas = join(work, 'kubeconform-schemas');
  const written = await writeKubeconformSchemas(
    join(KUBERNETES_OPENAPI_DOCUMENTS, KUBERNETES_VERSION, 'api', 'openapi-spec', 'v3'),
    committed,
    kubeconformSchemas,
  );
  const schemaServer = await serveKubeconformSchemas(kubeconformSchemas);
  cleanups.unshift(() => schemaServer.close());
  const hydrateCache = join(work, 'hydrate-schema-cache');
  const kubeconformCache = join(work, 'kubeconform-cache');
  await mkdir(kubeconformCache);
  let hydrateValidated = '';
  const hydrateValidate = async () => {
    const result = await execa(
      process.execPath,
      [
        cli,
        'validate',
        '--manifests',
        committedManifests,
        '--kubernetes-schemas',
        openapi.baseUrl,
        '--schema-cache',
        hydrateCache,
        '--kubernetes-version',
        KUBERNETES_VERSION,
        '--format',
        'json',
      ],
      { reject: false },
    );
    const report = JSON.parse(result.stdout) as { resourceCount: number; findings: unknown[] };
    hydrateValidated = `${report.resourceCount} resources, ${report.findings.length} finding(s)`;
    if (report.resourceCount !== resourceCount)
      throw new Error(`helmfile-hydrate validated ${report.resourceCount} resources, expected ${resourceCount}`);
  };
  let kubeconformValidated = '';
  const kubeconformValidate = async () => {
    // The environment directories only: manifests/.helmfile-hydrate.json is not a resource.
    const result = await execa(
      kubeconform.path,
      kubeconformArguments(
        schemaServer.url,
        kubeconformCache,
        PLATFORM_ENVIRONMENTS.map((environment) => join(committedManifests, environment)),
      ),
      { reject: false },
    );
    const summary = (JSON.parse(result.stdout) as { summary: { valid: number; invalid: number; errors: number; skipped: number } }).summary;
    kubeconformValidated = `${summary.valid} valid, ${summary.invalid} invalid, ${summary.errors} errors, ${summary.skipped} skipped`;
    if (summary.valid + summary.invalid + summary.errors + summary.skipped !== resourceCount)
      throw new Error(`kubeconform saw ${JSON.stringify(summary)}, expected ${resourceCount} resources`);
  };
  /**
   * i. The rebuild drill: validate --manifests --api-server of production alone, less validate
   * --manifests of the same (the schema pass): what applying every object to an empty API server
   * (started, CRDs established, 503 objects in Argo CD's order) costs.
   */
  const validateProduction = (extra: string[]) =>
    hydrate(
      [
        'validate',
        '--manifests',
        committedManifests,
        '-e',
        'production',
        '--kubernetes-schemas',
        openapi.baseUrl,
        '--schema-cache',
        hydrateCache,
        ...extra,
      ],
      platform.directory,
    );
  let drillOutcome = '';
  const drillProduction = async () => {
    const result = await validateProduction(['--api-server']);
    drillOutcome = result.stdout.trim().split('\n').pop() ?? '';
  };
  const schemaProduction = () => validateProduction([]);
  // Warm both schema caches once (download/conversion is a first-run cost, measured by bench/validate).
  await hydrateValidate();
  await kubeconformValidate();

  // g. The action's commit phase: the head's render (the bump) committed on the base with ManifestStage.
  const headRender = join(work, 'head-render');
  await git('checkout', '--quiet', '--force', platform.bump);
  await hydrate(['render', '--chart-mirror', mirror, '--output-dir', headRender], platform.directory);
  await git('checkout', '--quiet', '--force', 'main');
  const headEnvironments = await readManifestTree(headRender);
  let stagedFiles = 0;
  const phases = { open: [] as number[], read: [] as number[], write: [] as number[], stage: [] as number[], commit: [] as number[] };
  const commitPhase = async () => {
    let started = performance.now();
    const lap = (phase: keyof typeof phases) => {
      const now = performance.now();
      phases[phase].push(now - started);
      started = now;
    };
    const stage = await ManifestStage.open(platform.directory, platform.bump, 'manifests');
    try {
      lap('open');
      await stage.readCommitted(PLATFORM_ENVIRONMENTS);
      lap('read');
      await stage.write(headEnvironments);
      lap('write');
      stagedFiles = (await stage.stage()).length;
      lap('stage');
      await stage.commit('chore: render manifests', { name: 'bench', email: 'bench@example.invalid' });
      lap('commit');
    } finally {
      await stage.remove();
    }
  };

  /**
   * h. The action on the bump's pull request: the bundled action (index.js, bundled above) run as a
   * runner runs it, against the local GitHub API server, in a clone of a bare origin; it renders,
   * validates, checks values, diffs, commits the manifests, pushes them to origin, comments and sets
   * the status. Each run first puts the pull request's branch back on the bump (one update-ref).
   */
  const origin = join(work, 'origin.git');
  const actionWorkspace = join(work, 'action-workspace');
  await execa('git', ['clone', '--quiet', '--bare', platform.directory, origin]);
  await execa('git', ['clone', '--quiet', origin, actionWorkspace]);
  await execa('git', ['-C', actionWorkspace, 'checkout', '--quiet', '--detach', platform.bump]);
  const api = await startGitHubApiServer({ owner: OWNER, repo: REPO });
  cleanups.unshift(() => api.close());
  const actionToken = 'ghs_benchtoken000000000000000000000000000';
  api.state.tokens.set(actionToken, { commentsAs: 'github-actions[bot]' });
  let actionOutcome = '';
  const actionBump = async () => {
    await execa('git', ['-C', origin, 'update-ref', `refs/heads/${PR_BRANCH}`, platform.bump]);
    const result = await runAction({
      bundle: join(bundleDirectory, 'index.js'),
      workspace: actionWorkspace,
      apiUrl: api.url,
      helmEnv: QUIET,
      payload: pullRequestPayload({ baseSha: platform.base, headSha: platform.bump }),
      inputs: {
        token: actionToken,
        'chart-mirror': mirror,
        'kubernetes-schemas': openapi.baseUrl,
        'kubernetes-version': KUBERNETES_VERSION,
      },
    });
    if (!api.state.comments.get(42)?.length)
      throw new Error(`the action posted no comment (exit ${result.exitCode}):\n${result.stdout.split('\n').slice(-30).join('\n')}`);
    actionOutcome = `exit ${result.exitCode}, ${result.outputs['resources-changed'] ?? '?'} changed, commit ${result.outputs['commit-sha']?.slice(0, 12) || 'none'}`;
  };

  // --- Timed runs, interleaved so that load from other work hits every step alike ------------------
  const steps = {
    naiveBump: {
      label: 'a. naive: helmfile template x2 env x (base, head) in parallel + diff -ru',
      task: () => naive(platform.bump),
      times: [] as number[],
    },
    hydrateBump: {
      label: 'b. helmfile-hydrate diff --base (bump of 1 release)',
      task: () => hydrateDiff(platform.bump),
      times: [] as number[],
    },
    hydrateBumpNoRehearsal: {
      label: "b''. the same with --no-rehearsal (sync check, no rollout rehearsal)",
      task: () => hydrateDiff(platform.bump, ['--no-rehearsal']),
      times: [] as number[],
    },
    hydrateBumpNoServer: {
      label: "b'. the same with --no-api-server (no sync check)",
      task: () => hydrateDiff(platform.bump, ['--no-api-server']),
      times: [] as number[],
    },
    actionBump: {
      label: 'h. the action on the bump pull request (render, validate, values, diff, risks, commit, push, comment)',
      task: actionBump,
      times: [] as number[],
    },
    render: { label: 'c. helmfile-hydrate render (full, both environments, head)', task: hydrateRender, times: [] as number[] },
    releaseAlone: {
      label: `d. helmfile template -l name=${BUMPED_RELEASE} (both environments)`,
      task: releaseAlone,
      times: [] as number[],
    },
    releaseAloneThroughMirror: {
      label: "d'. the same through the chart mirror's helm wrapper",
      task: releaseAloneThroughMirror,
      times: [] as number[],
    },
    naiveGlobal: { label: 'e. naive script, change every release sees', task: () => naive(platform.global), times: [] as number[] },
    hydrateGlobal: {
      label: 'e. helmfile-hydrate diff --base, change every release sees',
      task: () => hydrateDiff(platform.global),
      times: [] as number[],
    },
    kubeconform: { label: 'f. kubeconform -strict (warm cache)', task: kubeconformValidate, times: [] as number[] },
    validate: { label: 'f. helmfile-hydrate validate --manifests (warm cache)', task: hydrateValidate, times: [] as number[] },
    commit: { label: 'g. commit phase (ManifestStage open/read/write/stage/commit)', task: commitPhase, times: [] as number[] },
    schemaProduction: { label: 'i. validate --manifests -e production (schemas only)', task: schemaProduction, times: [] as number[] },
    drillProduction: {
      label: 'i. validate --manifests -e production --api-server (rebuild drill)',
      task: drillProduction,
      times: [] as number[],
    },
  };
  const details: Record<string, string> = {};
  for (let run = 1; run <= runs; run++) {
    for (const [name, step] of Object.entries(steps)) {
      if (only && !only.includes(name)) continue;
      const ms = await time(step.task);
      step.times.push(ms);
      if (name === 'naiveBump' || name === 'naiveGlobal') details[name] = `${naiveDiffLines} lines of diff -ru`;
      if (name === 'hydrateBump' || name === 'hydrateGlobal') details[name] = `${hydrateReportBytes} bytes of report`;
      log(`run ${run}/${runs} ${step.label}: ${(ms / 1000).toFixed(2)} s`);
    }
  }

  // --- Report ---------------------------------------------------------------------------------------
  type StepName = keyof typeof steps;
  const m = Object.fromEntries(Object.entries(steps).map(([name, step]) => [name, median(step.times)])) as Record<StepName, number>;
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
  const vsToday = (name: StepName) => (TODAY_MS[name] ? (m[name] / TODAY_MS[name]).toFixed(2) : '');
  const step = (name: StepName, reference: StepName | undefined, goal = ''): string[] => [
    steps[name].label,
    s(m[name]),
    reference ? (m[name] / m[reference]).toFixed(2) : '',
    vsToday(name),
    goal,
  ];
  // Judged on the ratio to the naive script of the same run: absolute times follow the VM's load.
  const todayGlobalRatio = TODAY_MS.hydrateGlobal && TODAY_MS.naiveGlobal ? TODAY_MS.hydrateGlobal / TODAY_MS.naiveGlobal : undefined;
  const heading = (text: string): string[] => [text, '', '', '', ''];
  const rows: string[][] = [
    heading('One release bumped (kube-prometheus-stack 79.5.0 -> 79.6.1)'),
    step('naiveBump', 'naiveBump'),
    step(
      'hydrateBump',
      'naiveBump',
      `ratio <= ${(1 / GOALS.diffSpeedup).toFixed(2)} (${GOALS.diffSpeedup}x faster): ${verdict(m.hydrateBump * GOALS.diffSpeedup <= m.naiveBump)}`,
    ),
    step('hydrateBumpNoRehearsal', 'naiveBump'),
    step('hydrateBumpNoServer', 'naiveBump'),
    [
      "   b'' - b' (what the sync check adds)",
      s(m.hydrateBumpNoRehearsal - m.hydrateBumpNoServer),
      '',
      '',
      `<= ${s(GOALS.syncCheckMs)}: ${verdict(m.hydrateBumpNoRehearsal - m.hydrateBumpNoServer <= GOALS.syncCheckMs)}`,
    ],
    [
      "   b - b'' (what the rollout rehearsal and production's node-loss drill add)",
      s(m.hydrateBump - m.hydrateBumpNoRehearsal),
      '',
      '',
      `<= ${s(GOALS.rehearsalMs)}: ${verdict(m.hydrateBump - m.hydrateBumpNoRehearsal <= GOALS.rehearsalMs)}`,
    ],
    step('actionBump', 'naiveBump'),
    [
      '   h / b (the action over `diff --base`, the same pipeline)',
      '',
      (m.actionBump / m.hydrateBump).toFixed(2),
      '',
      `<= ${GOALS.actionOverDiff}: ${verdict(m.actionBump <= m.hydrateBump * GOALS.actionOverDiff)}`,
    ],
    step('render', 'naiveBump'),
    step('releaseAlone', 'naiveBump'),
    step('releaseAloneThroughMirror', 'naiveBump'),
    [
      '   b / d (overhead over the changed release alone)',
      '',
      (m.hydrateBump / m.releaseAlone).toFixed(2),
      '',
      `<= ${GOALS.overheadOverRelease}: ${verdict(m.hydrateBump <= m.releaseAlone * GOALS.overheadOverRelease)}`,
    ],
    [
      "   b / d' (the same, both through the chart mirror)",
      '',
      (m.hydrateBump / m.releaseAloneThroughMirror).toFixed(2),
      '',
      `<= ${GOALS.overheadOverRelease}: ${verdict(m.hydrateBump <= m.releaseAloneThroughMirror * GOALS.overheadOverRelease)}`,
    ],
    heading(`Change every release sees (${GLOBAL_CHANGE.description})`),
    step('naiveGlobal', 'naiveGlobal'),
    step(
      'hydrateGlobal',
      'naiveGlobal',
      todayGlobalRatio
        ? `no slower than today (ratio ${todayGlobalRatio.toFixed(2)}): ${verdict(m.hydrateGlobal / m.naiveGlobal <= todayGlobalRatio * NOISE_MARGIN)}`
        : 'no slower than today (this figure)',
    ),
    heading(`Validation of the committed manifests (${resourceCount} resources)`),
    step('kubeconform', 'kubeconform'),
    step(
      'validate',
      'kubeconform',
      `ratio <= ${GOALS.validateOverKubeconform}: ${verdict(m.validate <= m.kubeconform * GOALS.validateOverKubeconform)}`,
    ),
    heading('The API server (production, empty server)'),
    step('schemaProduction', 'schemaProduction'),
    step(
      'drillProduction',
      'schemaProduction',
      `drill - schemas <= ${s(GOALS.productionDrillMs)}: ${verdict(m.drillProduction - m.schemaProduction <= GOALS.productionDrillMs)}`,
    ),
    heading(`Commit phase (${stagedFiles} changed files of the bump)`),
    step('commit', undefined, `< ${s(GOALS.commitMs)}: ${verdict(m.commit < GOALS.commitMs)}`),
  ];
  const titles = ['Step', 'Median', 'Ratio', 'vs today', 'Goal'];
  const widths = titles.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, column) => (column >= 1 && column <= 3 ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!))).join(' | ')} |`;
  console.log(`\nMedian of ${runs} run(s). Ratio: this step / the first step of its group (the naive script, kubeconform).`);
  console.log(`vs today: this median / the one recorded in bench/platform/README.md before "render only what changed".\n`);
  console.log(line(titles));
  console.log(line(widths.map((width) => '-'.repeat(width))));
  for (const row of rows) console.log(line(row));
  console.log(
    `\ncommit phase breakdown (median): ${Object.entries(phases)
      .map(([phase, times]) => `${phase} ${median(times).toFixed(0)} ms`)
      .join(', ')}`,
  );
  console.log(
    `action: ${actionOutcome}; naive: ${details.naiveBump} (bump), ${details.naiveGlobal} (global); helmfile-hydrate: ${details.hydrateBump} (bump), ${details.hydrateGlobal} (global)`,
  );
  console.log(`rebuild drill (production): ${drillOutcome}`);
  if (rehearsalTimings.length) console.log(`rehearsal inside b (per run): ${rehearsalTimings.join('; ')}`);
  console.log(
    `validate: helmfile-hydrate ${hydrateValidated}; kubeconform ${kubeconformValidated} (${written.kinds} standalone schemas converted from the same documents)`,
  );
  console.log(
    `machine: ${(await import('node:os')).cpus().length} CPUs, load average ${(await import('node:os'))
      .loadavg()
      .map((n) => n.toFixed(1))
      .join(
        ' ',
      )}, node ${process.version}, helm ${toolchain.helm.version}, helmfile ${toolchain.helmfile.version}, kubeconform ${kubeconform.version}`,
  );
} finally {
  for (const cleanup of cleanups) await cleanup().catch((error: Error) => log(`cleanup: ${error.message}`));
}
