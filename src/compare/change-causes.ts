import type { ChangeCause, ManifestDiff, ResourceChange, ToolchainChange } from '../diff/types.js';
import type { CommittedProvenance, EnvironmentManifests, ReleaseManifests } from '../model/manifests.js';

/** What explains the changes of one release, before each resource's own evidence is added. */
interface ReleaseEvidence {
  /** The pull request's inputs for the release differ from the base's (same tools), or it adds or removes it. */
  pullRequest: boolean;
  /** The committed files were rendered with other tools than this run's. */
  toolchain: boolean;
  /** The committed files are known not to be what the base's inputs render (other inputs, a release missing or left over). */
  drift: boolean;
}

/**
 * Gives every change of the diff its cause (pure). The base side is the manifests committed on the
 * base; where they were read (not rendered), their provenance tells what each change comes from:
 * the pull request's inputs (the release's input fingerprint differs between base and head with
 * the same tools), the toolchain (the committed files were rendered with other tool versions),
 * or drift (the committed files are not what the base's inputs render: other inputs recorded, a
 * file whose bytes are not those recorded, or nothing else explains the change). Without
 * provenance (the base was rendered), every change is the pull request's.
 */
export function attributeCauses(diff: ManifestDiff, base: readonly EnvironmentManifests[], head: readonly EnvironmentManifests[]): void {
  for (const environment of diff.environments) {
    const baseEnvironment = base.find((candidate) => candidate.environment === environment.environment);
    const headEnvironment = head.find((candidate) => candidate.environment === environment.environment);
    const provenance = baseEnvironment?.committed;
    const evidence = new Map<string, ReleaseEvidence>();
    const evidenceOf = (release: string) => {
      let found = evidence.get(release);
      if (!found) {
        found = releaseEvidence(release, baseEnvironment, headEnvironment);
        evidence.set(release, found);
      }
      return found;
    };
    for (const release of environment.releases) {
      for (const change of release.resources) {
        if (change.status === 'unchanged' && !change.moved) continue;
        const causes = provenance ? resourceCauses(change, provenance, evidenceOf) : ['pull-request' as const];
        change.cause = causes[0];
        if (causes.length > 1) change.causes = causes;
      }
    }
  }
}

function resourceCauses(
  change: ResourceChange,
  provenance: CommittedProvenance,
  evidenceOf: (release: string) => ReleaseEvidence,
): ChangeCause[] {
  const releases = [...new Set([change.headRelease, change.baseRelease].filter((name): name is string => name !== undefined))];
  const found = releases.map(evidenceOf);
  const editedOnBase = change.basePath !== undefined && provenance.unrecordedFiles.includes(change.basePath);
  const causes: ChangeCause[] = [];
  if (found.some((evidence) => evidence.pullRequest)) causes.push('pull-request');
  if (found.some((evidence) => evidence.toolchain)) causes.push('toolchain');
  // Nothing else explains a change: the committed files are not what the base's inputs render.
  if (editedOnBase || found.some((evidence) => evidence.drift) || causes.length === 0) causes.push('drift');
  return causes;
}

function releaseEvidence(name: string, base: EnvironmentManifests | undefined, head: EnvironmentManifests | undefined): ReleaseEvidence {
  const provenance = base?.committed;
  const headRelease = head?.releases.find((release) => release.release.name === name);
  const committedRelease = base?.releases.find((release) => release.release.name === name);
  if (!provenance) return { pullRequest: true, toolchain: false, drift: false };
  const recordedTools = provenance.recordedTools;
  const toolchain =
    committedRelease !== undefined &&
    recordedTools !== undefined &&
    head?.tools !== undefined &&
    (recordedTools.helm !== head.tools.helm || recordedTools.helmfile !== head.tools.helmfile);
  // Without the base's inputs nothing tells the pull request's changes from drift: they count as the pull request's.
  if (!provenance.inputsKnown) return { pullRequest: true, toolchain, drift: false };
  const inBaseInputs = name in provenance.currentToolFingerprints;
  const baseInputs = provenance.currentToolFingerprints[name];
  const pullRequest =
    inBaseInputs !== (headRelease !== undefined) ||
    (headRelease !== undefined &&
      (headRelease.fingerprint === undefined || baseInputs === undefined || headRelease.fingerprint !== baseInputs));
  return { pullRequest, toolchain, drift: knownDrift(name, provenance, committedRelease, inBaseInputs) };
}

/** The record says the committed files of the release are not what the base's inputs render. */
function knownDrift(
  name: string,
  provenance: CommittedProvenance,
  committedRelease: ReleaseManifests | undefined,
  inBaseInputs: boolean,
): boolean {
  // A release the base's helmfile renders with no committed files, or committed files of a release it no longer has.
  if (inBaseInputs !== (committedRelease !== undefined)) return true;
  const recorded = provenance.recordedFingerprints[name];
  const expected = provenance.inputFingerprints[name];
  return recorded !== undefined && expected !== undefined && recorded !== expected;
}

/** Tools whose version differs between those recorded with the base's committed files and this run's (pure). */
export function toolchainChanges(base: readonly EnvironmentManifests[], head: readonly EnvironmentManifests[]): ToolchainChange[] {
  const changes: ToolchainChange[] = [];
  for (const environment of base) {
    const recorded = environment.committed?.recordedTools;
    const current = head.find((candidate) => candidate.environment === environment.environment)?.tools;
    if (!recorded || !current) continue;
    for (const tool of ['helm', 'helmfile'] as const) {
      const from = recorded[tool];
      const to = current[tool];
      if (from && to && from !== to) changes.push({ environment: environment.environment, tool, from, to });
    }
  }
  return changes;
}
