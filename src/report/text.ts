import { formatResourceKey } from '../model/resource-key.js';
import { describeResolvedImage } from '../images/image-check.js';
import { changedResourcesText, groupChanges, imageChangeRows, releaseId, sameChanges } from './grouping.js';
import type { ReportInput } from './report-input.js';
import { riskTextLines } from './risks.js';
import { checkCoverageTextLines } from './check-coverage.js';
import { causeLabel, unrequestedTextLines } from './causes.js';
import { environmentLine, environmentTitle, isNothingToReport, noiseNames, noiseSummary, plural, releaseSummary } from './summary.js';

/** The report for a terminal: plain text, every diff in full, no markup. Deterministic. */
export function buildTextReport(input: ReportInput): string {
  const { diff, findings } = input;
  const out: string[] = [];
  const revisions =
    input.base && input.head ? ` (${input.base.ref} ${input.base.sha.slice(0, 7)} -> ${input.head.ref} ${input.head.sha.slice(0, 7)})` : '';
  if (isNothingToReport(diff, findings)) {
    const noise = noiseSummary(diff.environments);
    out.push(`No changes to the rendered manifests${revisions}${noise ? ` (${noise})` : ''}.`);
    return diff.sensitive.redact(`${out.join('\n')}\n`);
  }
  out.push(`Rendered manifests${revisions}`, '');
  const groups = groupChanges(diff.environments);
  for (const environment of diff.environments)
    out.push(environmentLine(environment, groups.environmentSameAs.get(environment.environment), findings));
  out.push(...unrequestedTextLines(diff), ...riskTextLines(input.risks ?? []), ...checkCoverageTextLines(input.checks ?? []));
  if (findings && findings.introduced.length > 0) {
    out.push('', `Validation findings introduced (${findings.introduced.length}):`);
    for (const f of findings.introduced)
      out.push(
        `  ${f.file}${f.line ? `:${f.line}` : ''}: ${formatResourceKey(f.resource)}${f.path ? ` ${f.path}` : ''}: ${f.message} (${f.rule})`,
      );
  }
  if (findings && findings.preexisting.length > 0)
    out.push('', `${plural(findings.preexisting.length, 'pre-existing validation finding')} not listed.`);
  const images = imageChangeRows(diff.environments, groups);
  if (images.length > 0) {
    const resolvedByImage = new Map((input.resolvedImages ?? []).map((image) => [image.image, image]));
    out.push('', 'Container images:');
    for (const image of images) {
      const resolved = image.head === undefined ? undefined : resolvedByImage.get(image.head);
      const note = resolved ? ` [${describeResolvedImage(resolved)}]` : '';
      out.push(`  ${image.base ?? '(none)'} -> ${image.head ?? '(removed)'}${note} (${image.environments.join(', ')})`);
      for (const use of image.uses) out.push(`    ${use.release}: ${use.resource} [${use.containers.join(', ')}]`);
    }
  }
  for (const environment of diff.environments) {
    if (environment.status === 'unchanged' || groups.environmentSameAs.has(environment.environment)) continue;
    out.push('', `== ${environmentTitle(environment)}`);
    const changed = environment.releases.filter((r) => r.status !== 'unchanged');
    const width = Math.max(0, ...changed.map((r) => r.name.length));
    for (const release of changed) {
      const sameAs = groups.releaseSameAs.get(releaseId(environment.environment, release.name));
      const { chart, version, counts } = releaseSummary(release);
      out.push(
        `  ${release.name.padEnd(width)}  ${release.status.padEnd(9)} ${chart} ${version}  ${counts}` +
          (sameAs ? ` (same changes as in ${sameAs})` : ''),
      );
    }
    const noise = noiseSummary([environment]);
    if (noise) out.push(`  ${noise} (not shown)`);
    const merged = sameChanges(
      changed
        .filter((release) => !groups.releaseSameAs.has(releaseId(environment.environment, release.name)))
        .flatMap((release) => release.resources),
    );
    for (const release of changed) {
      for (const group of merged.filter((candidate) => candidate.release === release.name)) {
        const change = group.changes[0]!;
        const notes = [
          change.status === 'unchanged' ? '' : `${change.status} (+${change.linesAdded} -${change.linesRemoved})`,
          change.moved ? `moved from release ${change.baseRelease}` : '',
          change.noise.length ? `also ${noiseNames(change.noise)} (hidden)` : '',
          causeLabel(change) ? `cause: ${causeLabel(change)}` : '',
        ]
          .filter(Boolean)
          .join('; ');
        out.push('', `--- ${environment.environment}/${release.name}: ${changedResourcesText(group)}: ${notes}`);
        if (change.patch) out.push(change.patch.replace(/\n$/, ''));
      }
    }
  }
  return diff.sensitive.redact(`${out.join('\n')}\n`);
}
