import type { RenderProgress } from '../render/render.js';
import type { Risk } from '../risk/types.js';
import type { Side } from '../side.js';
import type { Toolchain } from '../tools/toolchain.js';
import type { Finding } from '../validate/findings/finding.js';
import type { SchemaSource } from '../validate/schemas/schema-source.js';
import type { IgnoredValue } from '../values/ignored-value.js';
import type { CheckCoverage } from '../report/check-coverage.js';
import type { ResolvedImage } from '../images/image-check.js';
import { attributeCauses, toolchainChanges } from './change-causes.js';
import { findHandEdits } from './hand-edits.js';
import { checkIgnoredValues } from './ignored-values.js';
import { renderSides, withExportedSides, type RenderedSides, type Revision } from './render-sides.js';
import type { CompareSettings } from './settings.js';
import { diffSides, findRisks, schemaSource, validateSides, type ComparedSides, type DiffResult, type ValidationResult } from './stages.js';

/** Two commits of one repository to compare. */
export interface CompareRequest {
  /** The git repository (any directory inside it); commits are exported from it, never rendered in it. */
  repository: string;
  revisions: Record<Side, Revision>;
  settings: CompareSettings;
  toolchain: Toolchain;
}

/** What each stage adds; a caller that keeps this object sees what the comparison got to when a stage throws. */
export interface ComparisonResults {
  /** Each side's commit, rendered; failures are in it, never thrown. */
  renders?: RenderedSides;
  validation?: ValidationResult;
  /** Keys the head's values set that their charts ignore (informational; [] when the check could not run). */
  ignoredValues?: IgnoredValue[];
  diff?: DiffResult;
  risks?: Risk[];
  /** What the extra checks covered (shown under the risks); absent when none ran. */
  checks?: CheckCoverage[];
  /** Images resolved against their registries (the image check); absent when it did not run. */
  resolvedImages?: ResolvedImage[];
}

export type Comparison = Required<ComparisonResults>;

/** What an extra check adds to the comparison. */
export interface SideCheckResult {
  risks?: Risk[];
  /** Validation findings the change introduces. */
  findings?: Finding[];
  /** What the check covered and could not exercise, for the report (one entry per check it ran: the sync check and the rehearsal). */
  coverage?: CheckCoverage[];
  /** Images the check resolved (digest, platforms), shown beside the image changes. */
  resolvedImages?: ResolvedImage[];
}

/**
 * A check over the rendered sides that adds risks or findings (the API-server sync check is one).
 * It runs as its own stage after the diff, on the environments the diff compared: per environment,
 * `releases[].resources[]` with each resource's object, file content and `path` (relative to the
 * manifests directory, `<environment>/<release>/<file>`).
 */
export interface SideCheck {
  /** The stage's name in logs and failure reports. */
  name: string;
  run(sides: ComparedSides, context: { request: CompareRequest; log: (message: string) => void }): Promise<SideCheckResult>;
}

/** How the caller sees the stages run; the action makes each a log group and persists caches around them. */
export interface CompareHooks {
  /** Runs one stage (default: just runs it). A stage that throws ends the comparison. */
  stage?: <T>(name: string, task: () => Promise<T>) => Promise<T>;
  log?: (message: string) => void;
  /** Something the reader should see but that fails nothing (the values check could not run); default `log`. */
  warn?: (message: string) => void;
  progress?: RenderProgress;
  /** Wraps the renders (the action restores and saves helm's chart cache around them). */
  aroundRenders?: <T>(task: () => Promise<T>) => Promise<T>;
  /** Wraps validation (the action restores and saves the schema cache around it). */
  aroundValidation?: <T>(schemas: SchemaSource, task: () => Promise<T>) => Promise<T>;
  /** Extra checks over the rendered sides, run in order after the diff. */
  checks?: readonly SideCheck[];
}

/**
 * The one compare pipeline of the action and `helmfile-hydrate diff`: render both commits,
 * validate both, look for values the head's charts ignore (from the head render's helmfile states,
 * while validation runs), diff, then the risks (and any extra checks). Each stage's result is put
 * into `results` as soon as it is known.
 */
export async function compareRevisions(
  request: CompareRequest,
  hooks: CompareHooks = {},
  results: ComparisonResults = {},
): Promise<Comparison> {
  const { settings, toolchain, revisions } = request;
  const stage = hooks.stage ?? (<T>(_name: string, task: () => Promise<T>) => task());
  const log = hooks.log ?? (() => {});
  const warn = hooks.warn ?? log;
  const around = hooks.aroundRenders ?? ((task) => task());
  return withExportedSides(request.repository, revisions, async (directories) => {
    const renders = await stage(renderStageName(revisions), () =>
      around(() => renderSides(directories, revisions, settings, toolchain, hooks.progress ?? (() => {}))),
    );
    results.renders = renders;
    // The values check runs helmfile and reads charts while validation keeps the CPU busy.
    const ignoredValues =
      settings.valuesCheck === false ? Promise.resolve([]) : checkIgnoredValues(renders, settings, toolchain, { log, warn });
    try {
      await laterStages(request, hooks, results, renders, ignoredValues);
    } finally {
      // The check reads the head's export: it ends before the export is removed, whatever failed.
      await ignoredValues;
    }
    return results as Comparison;
  });
}

/** Validation, the values check's result, the diff, the extra checks and the risks, each a stage. */
async function laterStages(
  request: CompareRequest,
  hooks: CompareHooks,
  results: ComparisonResults,
  renders: RenderedSides,
  ignoredValues: Promise<IgnoredValue[]>,
): Promise<void> {
  const { settings } = request;
  const stage = hooks.stage ?? (<T>(_name: string, task: () => Promise<T>) => task());
  const log = hooks.log ?? (() => {});
  const schemas = schemaSource(settings);
  const aroundValidation = hooks.aroundValidation ?? ((_schemas, task) => task());
  results.validation = await stage('validate', () => aroundValidation(schemas, () => validateSides(renders, settings, schemas, log)));
  results.ignoredValues = await stage('values', () => ignoredValues);
  const diff = await stage('diff', async () => {
    const found = diffSides(renders, settings, log);
    await explainChanges(found, renders, settings);
    return found;
  });
  results.diff = diff;
  const extra: Risk[] = [];
  // Extra checks plug in here: each sees the environments the diff compared on both sides.
  for (const check of hooks.checks ?? []) {
    const found = await stage(check.name, () => check.run(diff, { request, log }));
    extra.push(...(found.risks ?? []));
    if (found.coverage?.length) (results.checks ??= []).push(...found.coverage);
    if (found.resolvedImages) (results.resolvedImages ??= []).push(...found.resolvedImages);
    if (found.findings?.length && results.validation.findings) {
      results.validation.findings.introduced.push(...found.findings);
      results.validation.introducedErrors += found.findings.length;
    }
  }
  results.risks = await stage('risks', async () => findRisks(diff, extra, settings.podSecurityDefault));
}

/**
 * Says why each change is there (see change-causes.ts), which tools changed since the base's
 * manifests were rendered, and which files of the head's branch were edited by hand.
 */
async function explainChanges(diff: DiffResult, renders: RenderedSides, settings: CompareRequest['settings']): Promise<void> {
  attributeCauses(diff.result, diff.base, diff.head);
  const toolchain = toolchainChanges(diff.base, diff.head);
  if (toolchain.length > 0) diff.result.toolchain = toolchain;
  if (!settings.committedManifests) return;
  const handEdits = await findHandEdits(renders.directories.head, settings.committedManifests, diff);
  if (handEdits.length > 0) diff.result.handEdits = handEdits;
}

/** The render stage's name: both commits, short. */
export function renderStageName(revisions: Record<Side, Revision>): string {
  return `render base (${revisions.base.sha.slice(0, 12)}) and head (${revisions.head.sha.slice(0, 12)})`;
}
