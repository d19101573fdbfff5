import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { startChartMirror, type ChartMirrorSettings } from '../render/chart-mirror.js';
import type { ChartMirrorPlan } from '../render/chart-mirror-plan.js';
import { readManifestTree } from '../render/committed-manifests.js';
import { HelmfileCommand } from '../render/helmfile.js';
import { isAsRecorded, readOwnershipRecord, type OwnershipRecord } from '../render/ownership.js';
import { releaseFingerprints, toolchainVersions } from '../render/release-fingerprints.js';
import type { RenderProgress, RenderToolchain } from '../render/settings.js';
import type { CommittedProvenance, EnvironmentManifests } from '../model/manifests.js';

/** What reading a commit's committed manifests needs. */
export interface CommittedBaseRequest {
  /** The exported commit. */
  directory: string;
  /** The commit's helmfile (a located file inside `directory`). */
  helmfile: string;
  /** The output directory, relative to the repository root. */
  manifests: string;
  environments: readonly string[];
  toolchain: RenderToolchain;
  settings: { kubeVersion?: string; clusterScopedKinds?: readonly string[]; chartMirror?: ChartMirrorSettings };
  progress: RenderProgress;
}

/** The environments read from the committed files, and those the commit has no files for (to be rendered). */
export interface CommittedBase {
  environments: EnvironmentManifests[];
  unread: string[];
}

/**
 * The base side as merge deploys it: the manifests committed on the base, not a render of its
 * inputs. Each environment comes with its provenance (the record's fingerprints, tools and file
 * digests, and the fingerprints of the commit's own inputs), from which the causes of each change
 * are told apart. Environments without committed files (or whose files cannot be read) are left
 * to be rendered.
 */
export async function readCommittedBase(request: CommittedBaseRequest): Promise<CommittedBase> {
  const committedDirectory = join(request.directory, request.manifests);
  const isDirectory = await stat(committedDirectory).then(
    (info) => info.isDirectory(),
    () => false,
  );
  if (!isDirectory) return { environments: [], unread: [...request.environments] };
  const record = await readOwnershipRecord(committedDirectory).catch(() => undefined);
  const environments: EnvironmentManifests[] = [];
  const unread: string[] = [];
  const mirror = await startChartMirror(request.settings.chartMirror, request.toolchain.helm.path);
  try {
    const helmfile = new HelmfileCommand({
      helmfile: request.toolchain.helmfile.path,
      helm: mirror.helm,
      file: request.helmfile,
      cwd: request.directory,
      env: request.toolchain.env,
    });
    const context = { helmfile, record, mirrorPlan: mirror.plan };
    const results = await Promise.all(
      request.environments.map((environment) => readEnvironment(committedDirectory, environment, request, context)),
    );
    results.forEach((result, index) => {
      if (result) environments.push(result);
      else unread.push(request.environments[index]!);
    });
  } finally {
    await mirror.close();
  }
  return { environments, unread };
}

async function readEnvironment(
  committedDirectory: string,
  environment: string,
  request: CommittedBaseRequest,
  context: {
    helmfile: HelmfileCommand;
    record: OwnershipRecord | undefined;
    mirrorPlan: ChartMirrorPlan | undefined;
  },
): Promise<EnvironmentManifests | undefined> {
  const { helmfile, record } = context;
  const listedInRecord = record ? environment in record.environments : true;
  if (!listedInRecord) return undefined;
  let problems = 0;
  // A file deleted by hand is simply not deployed: the render brings it back, shown as drift.
  const [read] = await readManifestTree(committedDirectory, [environment], {
    onProblem: ({ problem }) => {
      if (problem !== 'duplicate-keys') problems++;
    },
    skipMissingFiles: true,
  }).catch(() => [undefined]);
  if (!read || problems > 0 || (!record && read.releases.length === 0)) {
    request.progress({
      environment,
      message: `[base] the committed manifests cannot be read as rendered files: rendering the base instead`,
    });
    return undefined;
  }
  // Committed files do not say which chart and version made them; helmfile does, without rendering.
  const [listed, states] = await Promise.all([
    helmfile.listReleases(environment).catch(() => []),
    helmfile.buildStates(environment, { embedValues: true }).catch(() => []),
  ]);
  for (const release of read.releases) {
    const match = listed.find((entry) => entry.name === release.release.name);
    if (match) release.release = match;
  }
  const fingerprintContext = {
    helmfileFile: request.helmfile,
    toolchain: request.toolchain,
    settings: request.settings,
    mirrorPlan: context.mirrorPlan,
  };
  const recordedTools = record?.tools?.[environment];
  const currentTools = await toolchainVersions(request.toolchain);
  const sameTools = recordedTools?.helm === currentTools.helm && recordedTools?.helmfile === currentTools.helmfile;
  const current = await releaseFingerprints(states, fingerprintContext);
  // Usually the committed files were rendered with this run's tools: the same fingerprints.
  const recorded =
    recordedTools && !sameTools ? await releaseFingerprints(states, { ...fingerprintContext, toolVersions: recordedTools }) : undefined;
  // Only the releases the base's helmfile installs: a disabled one has no files to be missing.
  const enabled = new Set(listed.filter((release) => release.enabled).map((release) => release.name));
  const installed = (fingerprints: Map<string, string | undefined>) =>
    Object.fromEntries([...fingerprints].filter(([name]) => listed.length === 0 || enabled.has(name)));
  const provenance: CommittedProvenance = {
    recordedFingerprints: record?.fingerprints?.[environment] ?? {},
    ...(recordedTools ? { recordedTools } : {}),
    unrecordedFiles: unrecordedFiles(read, record),
    inputsKnown: states.some((state) => state.releases.length > 0),
    inputFingerprints: recordedTools ? installed(recorded ?? current) : {},
    currentToolFingerprints: installed(current),
  };
  return { ...read, committed: provenance };
}

/** Files whose bytes differ from the digest recorded for them; none when the record keeps no digests (format 1). */
function unrecordedFiles(environment: EnvironmentManifests, record: OwnershipRecord | undefined): string[] {
  const recorded = record?.digests ?? {};
  const prefix = `${environment.environment}/`;
  if (!Object.keys(recorded).some((path) => path.startsWith(prefix))) return [];
  return environment.releases
    .flatMap((release) => release.resources)
    .filter((resource) => !isAsRecorded(record, resource.path, resource.content))
    .map((resource) => resource.path);
}
