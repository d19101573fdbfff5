import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { probeVersion } from '../tools/version.js';
import { toolSpec } from '../tools/manifest.js';
import { ChartDigests, isLocalChart } from './chart-digests.js';
import { rewriteHelmArguments, type ChartMirrorPlan } from './chart-mirror-plan.js';
import { releaseFingerprint, STATE_KEYS_FOR_RELEASES } from './fingerprint.js';
import type { HelmfileState } from '../model/helmfile-state.js';
import type { RenderToolchain } from './settings.js';
import type { ToolVersions } from '../model/tool-versions.js';

export interface FingerprintContext {
  /** The helmfile file; relative paths in its state are relative to its directory. */
  helmfileFile: string;
  toolchain: RenderToolchain;
  settings: { kubeVersion?: string; clusterScopedKinds?: readonly string[] };
  /** The mirror plan in use, so repository indexes are read where helm reads them. */
  mirrorPlan?: ChartMirrorPlan;
  /** The tool versions to fingerprint with instead of the toolchain's (those committed files were rendered with). */
  toolVersions?: ToolVersions;
}

/** Tool versions probed once per binary per process (a toolchain from prepareToolchain already has them). */
const probedVersions = new Map<string, Promise<string | undefined>>();

function toolVersion(tool: { path: string; version?: string }, name: 'helm' | 'helmfile'): Promise<string | undefined> {
  if (tool.version) return Promise.resolve(tool.version);
  let version = probedVersions.get(tool.path);
  if (!version) {
    version = probeVersion(tool.path, toolSpec(name).versionArgs).catch(() => undefined);
    probedVersions.set(tool.path, version);
  }
  return version;
}

/** The helm and helmfile versions of a toolchain (probed once per binary when not known). */
export async function toolchainVersions(toolchain: RenderToolchain): Promise<ToolVersions> {
  const [helm, helmfile] = await Promise.all([toolVersion(toolchain.helm, 'helm'), toolVersion(toolchain.helmfile, 'helmfile')]);
  return { helm, helmfile };
}

/**
 * Each release's input fingerprint (see fingerprint.ts), from the states of one `helmfile build
 * --embed-values`. A release whose fingerprint is undefined (chart digest unknown, no state)
 * is always rendered.
 */
export async function releaseFingerprints(
  states: readonly HelmfileState[],
  context: FingerprintContext,
): Promise<Map<string, string | undefined>> {
  const fingerprints = new Map<string, string | undefined>();
  const state = states.find((candidate) => candidate.releases.length > 0);
  if (!state) return fingerprints;

  const baseDirectory = dirname(resolve(context.helmfileFile));
  // The state names files by absolute path in places; renders of the same commit exported to
  // different temporary directories must give the same fingerprint.
  const portable = (value: unknown): unknown =>
    JSON.parse(
      JSON.stringify(value ?? null)
        .split(baseDirectory)
        .join('.'),
    );
  const shared = Object.fromEntries(STATE_KEYS_FOR_RELEASES.filter((key) => key in state).map((key) => [key, portable(state[key])]));
  const plan = context.mirrorPlan;
  // The same rewrite the helm wrapper applies to `helm repo add NAME URL`.
  const digests = new ChartDigests((url, name) => (plan ? rewriteHelmArguments(['repo', 'add', name, url], plan)[3] : url));
  const { helm, helmfile: helmfileVersion } = context.toolVersions ?? (await toolchainVersions(context.toolchain));

  await Promise.all(
    (state.releases ?? []).map(async (release) => {
      const name = String(release.name ?? '');
      const chart = String(release.chart ?? '');
      const repository = (state.repositories ?? []).find((candidate) => candidate.name && chart.startsWith(`${candidate.name}/`));
      let chartDigest: string | undefined;
      if (typeof release.chartPath === 'string' || isLocalChart(chart)) {
        chartDigest = await digests.localChart(resolve(baseDirectory, typeof release.chartPath === 'string' ? release.chartPath : chart));
      } else if (chart.startsWith('oci://') || repository?.oci) {
        // Registries are not asked for digests here: an OCI tag is taken to name fixed content.
        chartDigest = release.version ? `oci:${chart}@${String(release.version)}` : undefined;
      } else if (repository?.url && release.version) {
        chartDigest = await digests.repositoryChart(
          { url: String(repository.url), name: String(repository.name) },
          chart.slice(String(repository.name).length + 1),
          String(release.version),
        );
      }
      const fileDigests: Record<string, string> = {};
      for (const secret of Array.isArray(release.secrets) ? release.secrets : []) {
        if (typeof secret !== 'string') continue;
        const content = await readFile(resolve(baseDirectory, secret)).catch(() => undefined);
        fileDigests[secret] = content ? createHash('sha256').update(content).digest('hex') : 'missing';
      }
      fingerprints.set(
        name,
        releaseFingerprint({
          release: portable(release) as Record<string, unknown>,
          state: shared,
          // The URL is left out: the chart digest says what was served, wherever from (a mirror, a moved repository).
          repository: repository ? { name: repository.name, oci: repository.oci === true } : undefined,
          chartDigest,
          fileDigests,
          tools: { helm, helmfile: helmfileVersion },
          settings: {
            kubeVersion: context.settings.kubeVersion,
            clusterScopedKinds: [...(context.settings.clusterScopedKinds ?? [])].sort(),
          },
        }),
      );
    }),
  );
  return fingerprints;
}
