/**
 * Renovate's MetalLB 0.15.3 -> 0.16.1 bump of the platform, offline. 0.16.1 is not among the
 * shared charts (../shared/charts/README.md), so the bumped chart is made here, at test time, from
 * the real 0.15.3 and never committed: re-versioned (chart, app and CRD subchart; every image moves
 * to v0.16.1, so the speaker rolls on every node), and with upstream's own frr-k8s subchart, which
 * 0.15.3 bundles switched off, as the default BGP backend. That brings what makes the upgrade
 * heavy to review, all upstream content: new Roles and ClusterRoles of many rules, a DaemonSet on
 * the host's network adding NET_ADMIN and SYS_ADMIN, a webhook failing closed, a changed speaker.
 */
import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';

export const METALLB_RELEASE = 'metallb';
const CHART_REPOSITORY = 'metallb';
export const METALLB_FROM = '0.15.3';
export const METALLB_TO = '0.16.1';

/** The mirror directory `--chart-mirror` takes: every shared repository linked, metallb rebuilt with the bumped chart beside the original. */
export async function buildMetallbBumpMirror(
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
    for (const file of await readdir(join(sharedCharts, entry.name)))
      if (file.endsWith('.tgz')) await symlink(join(sharedCharts, entry.name, file), join(repository, file));
    const chart = await bumpedChart(join(sharedCharts, entry.name, `metallb-${METALLB_FROM}.tgz`), scratch);
    await execa(helm, ['package', chart, '--destination', repository], { env, extendEnv: false });
    // Relative URLs, as the shared indexes have: the mirror serves the directory wherever it is.
    await execa(helm, ['repo', 'index', repository], { env, extendEnv: false });
  }
}

async function bumpedChart(upstream: string, scratch: string): Promise<string> {
  const directory = join(scratch, `metallb-${METALLB_TO}`);
  await mkdir(directory, { recursive: true });
  await execa('tar', ['-xzf', upstream, '-C', directory, '--strip-components=1']);
  const edit = async (path: string, replacements: Array<[RegExp, string]>) => {
    let text = await readFile(join(directory, path), 'utf8');
    for (const [pattern, replacement] of replacements) {
      if (!pattern.test(text)) throw new Error(`${path} of ${upstream} no longer matches ${pattern}: the upstream chart changed`);
      text = text.replace(pattern, replacement);
    }
    await writeFile(join(directory, path), text);
  };
  await edit('Chart.yaml', [
    [/^appVersion: v0\.15\.3$/m, `appVersion: v${METALLB_TO}`],
    [/^version: 0\.15\.3$/m, `version: ${METALLB_TO}`],
    [/(- condition: crds\.enabled\n\s+name: crds\n\s+repository: ""\n\s+version: )0\.15\.3/, `$1${METALLB_TO}`],
  ]);
  await edit('charts/crds/Chart.yaml', [
    [/^appVersion: v0\.15\.3$/m, `appVersion: v${METALLB_TO}`],
    [/^version: 0\.15\.3$/m, `version: ${METALLB_TO}`],
  ]);
  await edit('values.yaml', [[/^(frrk8s:\n(?:\s+#.*\n)*\s+enabled: )false$/m, '$1true']]);
  return directory;
}

/** The one-line change Renovate makes to the helmfile. */
export const METALLB_BUMP = {
  file: 'helmfile/helmfile.yaml.gotmpl',
  from: new RegExp(`(chart: ${CHART_REPOSITORY}/${METALLB_RELEASE}\\n\\s+version: )${METALLB_FROM.replace(/\./g, '\\.')}`),
  to: `$1${METALLB_TO}`,
  message: `chore(deps): update helm release ${METALLB_RELEASE} to v${METALLB_TO}`,
};
