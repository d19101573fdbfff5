/**
 * What bench/platform/run.ts needs before it times anything, all in one temporary directory:
 * a chart mirror (the shared upstream charts plus a kube-prometheus-stack 79.6.1 built now from
 * the real 79.5.0), and a scratch git repository holding a copy of this repository's platform
 * (helmfile/, environments/ and the committed manifests/ of the base) with a Renovate-style bump
 * and a change every release sees, each committed on top of the base.
 * Nothing from ../shared is ever copied into the project: it is read, linked or extracted here.
 */
import { cp, mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';

export const BUMPED_RELEASE = 'kube-prometheus-stack';
const CHART_REPOSITORY = 'prometheus-community';
const FROM_VERSION = '79.5.0';
const TO_VERSION = '79.6.1';

/**
 * The mirror directory `--chart-mirror` takes (`<mirror>/<repository>/index.yaml`): every shared
 * repository linked, and prometheus-community rebuilt with the bumped chart beside the original.
 */
export async function buildChartMirror(
  sharedCharts: string,
  mirror: string,
  scratch: string,
  helm: string,
  env: Record<string, string>,
): Promise<void> {
  await mkdir(mirror, { recursive: true });
  for (const entry of await readdir(sharedCharts, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    if (entry.name !== CHART_REPOSITORY) {
      await symlink(join(sharedCharts, entry.name), join(mirror, entry.name));
      continue;
    }
    const repository = join(mirror, entry.name);
    await mkdir(repository);
    for (const file of await readdir(join(sharedCharts, entry.name))) {
      if (file.endsWith('.tgz')) await symlink(join(sharedCharts, entry.name, file), join(repository, file));
    }
    const chart = await bumpedChart(join(sharedCharts, entry.name, `${BUMPED_RELEASE}-${FROM_VERSION}.tgz`), scratch);
    await execa(helm, ['package', chart, '--destination', repository], { env, extendEnv: false });
    // Relative URLs, as the shared indexes have: the mirror serves the directory wherever it is.
    await execa(helm, ['repo', 'index', repository], { env, extendEnv: false });
  }
}

/**
 * kube-prometheus-stack 79.6.1 as a Renovate bump brings it, made from the real 79.5.0: re-versioned,
 * and its Grafana subchart 10.1.4 -> 10.1.5 with app 12.2.1 -> 12.2.2 (the image change), as
 * test/report/platform-bump.int.test.ts builds it.
 */
async function bumpedChart(upstream: string, scratch: string): Promise<string> {
  const directory = join(scratch, `${BUMPED_RELEASE}-${TO_VERSION}`);
  await mkdir(directory, { recursive: true });
  await execa('tar', ['-xzf', upstream, '-C', directory, '--strip-components=1']);
  const edit = async (path: string, replacements: Array<[RegExp, string]>) => {
    let text = await readFile(join(directory, path), 'utf8');
    for (const [pattern, replacement] of replacements) {
      if (!pattern.test(text))
        throw new Error(`${path} of ${upstream} no longer matches ${pattern}: the upstream chart changed; update bench/platform/setup.ts`);
      text = text.replace(pattern, replacement);
    }
    await writeFile(join(directory, path), text);
  };
  await edit('Chart.yaml', [
    [/^version: 79\.5\.0$/m, `version: ${TO_VERSION}`],
    [/(- condition: grafana\.enabled\n\s+name: grafana\n\s+repository: \S+\n\s+version: )10\.1\.4/, '$110.1.5'],
  ]);
  await edit('charts/grafana/Chart.yaml', [
    [/^version: 10\.1\.4$/m, 'version: 10.1.5'],
    [/^appVersion: 12\.2\.1$/m, 'appVersion: 12.2.2'],
  ]);
  return directory;
}

export interface PlatformRepository {
  directory: string;
  /** The platform as main holds it: helmfile, environments and the manifests rendered from them. */
  base: string;
  /** base + Renovate's one-line bump of kube-prometheus-stack (manifests not yet re-rendered). */
  bump: string;
  /** base + a change every release's render sees (see GLOBAL_CHANGE). */
  global: string;
}

/** The change every release sees: the Kubernetes version helmfile gives every `helm template` (a cluster patch upgrade). */
export const GLOBAL_CHANGE = {
  file: 'helmfile/helmfile.yaml.gotmpl',
  from: /^kubeVersion: v1\.35\.0$/m,
  to: 'kubeVersion: v1.35.1',
  description: 'kubeVersion v1.35.0 -> v1.35.1 in the helmfile (every release is templated with it)',
};

export async function createPlatformRepository(sourceRoot: string, directory: string): Promise<PlatformRepository> {
  const git = (...args: string[]) => execa('git', args, { cwd: directory }).then((result) => result.stdout.trim());
  await mkdir(directory, { recursive: true });
  await git('init', '--quiet', '--initial-branch', 'main');
  await git('config', 'user.name', 'bench');
  await git('config', 'user.email', 'bench@example.invalid');
  await git('config', 'commit.gpgsign', 'false');
  for (const path of ['helmfile', 'environments', 'manifests'])
    await cp(join(sourceRoot, path), join(directory, path), { recursive: true });
  await git('add', '--all');
  await git('commit', '--quiet', '-m', 'platform as main holds it');
  const base = await git('rev-parse', 'HEAD');

  const change = async (branch: string, file: string, from: RegExp, to: string, message: string) => {
    await git('checkout', '--quiet', '-b', branch, base);
    const text = await readFile(join(directory, file), 'utf8');
    if (!from.test(text)) throw new Error(`${file} no longer matches ${from}; update bench/platform/setup.ts`);
    await writeFile(join(directory, file), text.replace(from, to));
    await git('commit', '--quiet', '-am', message);
    return git('rev-parse', 'HEAD');
  };
  const bump = await change(
    'renovate/kube-prometheus-stack',
    'helmfile/helmfile.yaml.gotmpl',
    new RegExp(`(chart: ${CHART_REPOSITORY}/${BUMPED_RELEASE}\\n\\s+version: )${FROM_VERSION.replace(/\./g, '\\.')}`),
    `$1${TO_VERSION}`,
    `chore(deps): update helm release ${BUMPED_RELEASE} to v${TO_VERSION}`,
  );
  const global = await change('global-change', GLOBAL_CHANGE.file, GLOBAL_CHANGE.from, GLOBAL_CHANGE.to, 'chore: Kubernetes v1.35.1');
  await git('checkout', '--quiet', 'main');
  return { directory, base, bump, global };
}

/**
 * The naive script's view of the helmfile: repository URLs pointed at `mirrorUrl/<name>`, as a
 * user's helmfile points at the real repositories (helmfile itself has no mirror setting).
 */
export function pointRepositoriesAt(helmfileText: string, mirrorUrl: string): string {
  let count = 0;
  const text = helmfileText.replace(/^(\s*- name: (\S+)\n\s+url: )\S+$/gm, (_, prefix: string, name: string) => {
    count++;
    return `${prefix}${mirrorUrl}/${name}`;
  });
  if (count === 0)
    throw new Error('no `- name: ...\\n  url: ...` repository entries found in the helmfile; update bench/platform/setup.ts');
  return text;
}
