/**
 * Renovate's MetalLB 0.15.3 -> 0.16.1 bump of the platform, offline. 0.16.1 is not among the
 * shared charts (../shared/charts/README.md), so the bumped chart is made here, at test time, from
 * the real 0.15.3 and never committed. What the upgrade brings that a reviewer must weigh, made of
 * upstream's own content:
 * - every image moves to v0.16.1 (chart, app and CRD subchart re-versioned): the speaker rolls on
 *   every node, a major version for 0.x;
 * - the frr-k8s subchart 0.15.3 bundles switched off becomes the BGP backend (`frrk8s.enabled`): its
 *   new ClusterRole and Roles of many rules (Secrets, a webhook configuration), their bindings, and
 *   its webhook failing closed; MetalLB's own ClusterRoles gain the frrk8s.metallb.io rules;
 * - the speaker's container adds NET_ADMIN and SYS_ADMIN (it is on the host's network already).
 * frr-k8s's own DaemonSet, status cleaner and CRDs are left out: 45 KB of added YAML that would fill
 * any comment's budget whatever its Risks section says, where the targets are about the
 * Risks section and the diff of the changed workloads.
 */
import { mkdir, readdir, readFile, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';

export const METALLB_RELEASE = 'metallb';
const CHART_REPOSITORY = 'metallb';
export const METALLB_FROM = '0.15.3';
export const METALLB_TO = '0.16.1';

/**
 * Into a chart mirror (`--chart-mirror`: `<mirror>/<repository>/index.yaml`, as bench/platform/setup.ts
 * builds it, every shared repository linked), the metallb repository rebuilt with the bumped chart
 * beside the original.
 */
export async function addMetallbBump(
  mirror: string,
  sharedCharts: string,
  scratch: string,
  helm: string,
  env: Record<string, string>,
): Promise<void> {
  const repository = join(mirror, CHART_REPOSITORY);
  // The shared repository is linked, never written to: the link is replaced by a directory of links.
  await unlink(repository);
  await mkdir(repository);
  for (const file of await readdir(join(sharedCharts, CHART_REPOSITORY)))
    if (file.endsWith('.tgz')) await symlink(join(sharedCharts, CHART_REPOSITORY, file), join(repository, file));
  const chart = await bumpedChart(join(sharedCharts, CHART_REPOSITORY, `metallb-${METALLB_FROM}.tgz`), scratch);
  await execa(helm, ['package', chart, '--destination', repository], { env, extendEnv: false });
  // Relative URLs, as the shared indexes have: the mirror serves the directory wherever it is.
  await execa(helm, ['repo', 'index', repository], { env, extendEnv: false });
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
  await edit('charts/frr-k8s/values.yaml', [[/^(crds:\n\s+enabled: )true$/m, '$1false']]);
  for (const template of ['controller.yaml', 'status-cleaner.yaml']) await rm(join(directory, 'charts/frr-k8s/templates', template));
  await edit('templates/speaker.yaml', [
    [
      /(\n {12}add:\n {12}- NET_RAW\n)( {8}\{\{- if or \.Values\.speaker\.frr\.enabled \.Values\.speaker\.memberlist\.enabled)/,
      '$1            - NET_ADMIN\n            - SYS_ADMIN\n$2',
    ],
  ]);
  return directory;
}

/** The one-line change Renovate makes to the helmfile. */
export const METALLB_BUMP = {
  file: 'helmfile/helmfile.yaml.gotmpl',
  from: new RegExp(`(chart: ${CHART_REPOSITORY}/${METALLB_RELEASE}\\n\\s+version: )${METALLB_FROM.replace(/\./g, '\\.')}`),
  to: `$1${METALLB_TO}`,
  message: `chore(deps): update helm release ${METALLB_RELEASE} to v${METALLB_TO}`,
};
