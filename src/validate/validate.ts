import { kubernetesJsonReplacer } from '../render/kubernetes-yaml.js';
import { fileModeMessage, findFileModeViolations } from './rules/file-modes.js';
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import type { EnvironmentManifests, RenderedResource } from '../model/manifests.js';
import { CustomResourceCatalog, isCustomResourceDefinition, type CustomResourceDefinitionEntry } from './crds/crd-catalog.js';
import { readCrdFiles, type CrdFileObject } from './crds/crd-files.js';
import type { Finding, SkippedResource } from './findings/finding.js';
import { formatApiVersion, isWellFormedGroupVersion, parseApiVersion, type GroupVersion } from './schemas/group-version.js';
import { formatJsonPath } from './findings/json-path.js';
import { removedApi } from './rules/removed-apis.js';
import { SchemaCompiler, type KindValidator } from './schemas/schema-compiler.js';
import { describeViolations } from './schemas/schema-errors.js';
import { SchemaDownloadError } from './schemas/schema-download.js';
import { fileValidatorStore } from './schemas/validator-cache.js';
import type { LoadedDocument, SchemaSource } from './schemas/schema-source.js';
import { sortFindings, sortSkipped } from './findings/ordering.js';
import { skipMatcher } from './skip-kinds.js';
import { YamlLocator } from './findings/yaml-location.js';

export interface ValidationOptions {
  /** Kubernetes schemas of the target version (`createSchemaSource`). */
  schemas: SchemaSource;
  /** Kinds not validated, listed as skipped: `Kind` (any group) or `Kind.group` (`Widget.example.com`). */
  skipKinds?: readonly string[];
  /** Resources whose kind has no schema anywhere are skipped (and listed) instead of being findings. */
  ignoreMissingSchemas?: boolean;
  /** Files or directories with CustomResourceDefinitions that are not part of the render. */
  extraCrds?: readonly string[];
}

export interface ValidationReport {
  /** The Kubernetes version validated against: `1.35` or `1.35.2`. */
  kubernetesVersion: string;
  /** Resources seen: validated plus skipped. */
  resourceCount: number;
  /** Problems the cluster would reject; sorted by environment, file, line. */
  findings: Finding[];
  /** Resources not validated, and why. */
  skipped: SkippedResource[];
  /** Checks that could not be made exactly (e.g. a CRD pattern in Go-only regex syntax); not failures. */
  warnings: Finding[];
  /** Present when a real API server judged the environments too (`validate --api-server`). */
  apiServer?: ApiServerCoverage;
  /** Present when the drill resolved every image against its registry (`validate --api-server`, src/images). */
  images?: ImageDrillCoverage;
}

/** What the drill's image check resolved, and each registry it could not ask, once. */
export interface ImageDrillCoverage {
  summary: string;
  notChecked: { registry: string; reason: string }[];
}

/** Which API server judged the environments, and what it could not exercise. */
export interface ApiServerCoverage {
  /** The kube-apiserver release (`1.35.0`). */
  version: string;
  /** What the rollout rehearsal placed on the declared nodes, per environment (`validate --api-server --rehearsal`). */
  rehearsal?: string;
  /** Objects the server validated without running what they configure (webhooks, conversion). */
  notExercised: { file: string; reason: string }[];
}

/** Rule names of findings (Finding.rule). */
export const FINDING_RULES = {
  unknownField: 'unknown-field',
  missingField: 'missing-field',
  invalidValue: 'invalid-value',
  duplicateListEntry: 'duplicate-list-entry',
  apiNotServed: 'api-not-served',
  missingSchema: 'missing-schema',
  invalidSchema: 'invalid-schema',
  duplicateKey: 'duplicate-key',
  patternNotChecked: 'pattern-not-checked',
  fileMode: 'file-mode',
} as const;

const CORE_V1: GroupVersion = { group: '', version: 'v1' };

/** The folder of compiled validators in the schema cache root (version folders are `1.35`, `1.35+<hash>`). */
export const VALIDATOR_CACHE_FOLDER = 'validators';

type Resolution =
  | {
      type: 'validate';
      validator: KindValidator;
      crd?: CustomResourceDefinitionEntry;
      notes?: { location: string; message: string }[];
      versionName?: string;
    }
  | { type: 'finding'; rule: string; message: string; mightBeCustomResource?: boolean }
  | { type: 'skip'; reason: string };

const compilers = new WeakMap<SchemaSource, SchemaCompiler>();

/** What one validateEnvironments call shares across resources: schema lookups are resolved once per apiVersion and kind. */
interface ValidationRun {
  schemas: SchemaSource;
  compiler: SchemaCompiler;
  options: ValidationOptions;
  builtInResolutions: Map<string, Promise<Resolution>>;
}

/**
 * What validating one resource found. Warnings are kept before deduplication (a run reports each
 * id once), so an outcome is the same whichever resources were validated before it.
 */
export interface ResourceOutcome {
  findings: Finding[];
  skipped?: SkippedResource;
  warnings: { id: string; warning: Finding }[];
}

/**
 * Outcomes of a run, for a later run to reuse: by validation context (see `validationContext`),
 * then by resource path, each with the bytes it was found for.
 */
export type ReusableOutcomes = Map<string, Map<string, { content: string; outcome: ResourceOutcome }>>;

/** A validation run's report, its outcomes (for a later run to reuse) and how many it reused. */
export interface ValidationRecord {
  report: ValidationReport;
  outcomes: ReusableOutcomes;
  /** Resources whose outcome came from the previous run instead of being validated. */
  reused: number;
}

/** One environment's CRDs: those it renders (by name, for pointing warnings at them) and the catalog they form. */
interface EnvironmentScope {
  environment: string;
  catalog: CustomResourceCatalog;
  crdResources: Map<string, RenderedResource>;
  /** Warnings made so far, by id and target file: locating a line in a CRD of megabytes is worth doing once. */
  noteWarnings: Map<string, Finding>;
}

/**
 * Validates every resource of the given environments against the Kubernetes schemas of the
 * source's version and the CustomResourceDefinitions rendered in the same environment (any
 * release) or given as extra files. Throws only when schemas cannot be obtained.
 */
export async function validateEnvironments(
  environments: readonly EnvironmentManifests[],
  options: ValidationOptions,
): Promise<ValidationReport> {
  return (await validateEnvironmentsReusing(environments, options)).report;
}

/**
 * `validateEnvironments`, reusing the outcome of `previous` for every resource whose path and
 * bytes are those `previous` validated in the same validation context (Kubernetes version,
 * options and every CRD of the environment, byte for byte): such a resource validates exactly as
 * it did there. The report is the one validating everything would give.
 */
export async function validateEnvironmentsReusing(
  environments: readonly EnvironmentManifests[],
  options: ValidationOptions,
  previous?: ReusableOutcomes,
): Promise<ValidationRecord> {
  const { schemas } = options;
  const extraCrds = options.extraCrds?.length ? await readCrdFiles(options.extraCrds) : [];
  const skip = skipMatcher(options.skipKinds ?? []);
  const catalogs = new Map(environments.map((environment) => [environment.environment, catalogOf(environment, extraCrds)]));

  await prefetchDocuments(environments, catalogs, schemas, skip);

  const run: ValidationRun = { schemas, compiler: compilerFor(schemas), options, builtInResolutions: new Map() };
  const outcomes: ReusableOutcomes = new Map();
  // Every outcome in resource order, for the report (the map is for reuse only).
  const ordered: ResourceOutcome[] = [];
  let reused = 0;
  for (const environment of environments) {
    const scope: EnvironmentScope = {
      environment: environment.environment,
      catalog: catalogs.get(environment.environment)!,
      crdResources: new Map(),
      noteWarnings: new Map(),
    };
    for (const { resources } of environment.releases)
      for (const resource of resources)
        if (isCustomResourceDefinition(resource.object)) scope.crdResources.set(crdName(resource), resource);
    const context = validationContext(environment, options, schemas.kubernetesVersion.version);
    const earlier = previous?.get(context);
    const found = new Map<string, { content: string; outcome: ResourceOutcome }>();
    outcomes.set(context, found);
    for (const { resources } of environment.releases) {
      for (const resource of resources) {
        const kept = earlier?.get(resource.path);
        // A copy: the two runs' reports never share a finding object.
        const reusable = kept?.content === resource.content ? copyOutcome(kept.outcome) : undefined;
        if (reusable) reused++;
        const outcome = reusable ?? (await resourceOutcome(run, scope, resource, skip));
        found.set(resource.path, { content: resource.content, outcome });
        ordered.push(outcome);
      }
    }
  }
  return { report: reportOf(ordered, schemas.kubernetesVersion.version), outcomes, reused };
}

function copyOutcome(outcome: ResourceOutcome): ResourceOutcome {
  return {
    findings: outcome.findings.map((finding) => ({ ...finding })),
    warnings: outcome.warnings.map(({ id, warning }) => ({ id, warning: { ...warning } })),
    ...(outcome.skipped ? { skipped: { ...outcome.skipped } } : {}),
  };
}

function compilerFor(schemas: SchemaSource): SchemaCompiler {
  let compiler = compilers.get(schemas);
  if (!compiler) {
    compiler = new SchemaCompiler(
      schemas.kubernetesVersion.version,
      // Beside the version folders of the document cache (kept by the action with it); keys cover every input.
      schemas.cacheDirectory ? fileValidatorStore(join(dirname(schemas.cacheDirectory), VALIDATOR_CACHE_FOLDER)) : undefined,
    );
    compilers.set(schemas, compiler);
  }
  return compiler;
}

/**
 * Everything besides a resource's own bytes its validation depends on: the Kubernetes version,
 * the options, the environment's name (in messages) and every CRD it renders with its path (a
 * custom resource validates against them; messages name the release and file of its CRD). Any
 * CRD that differs changes the context of the whole environment, so nothing of it is reused.
 * CRDs count in path order (a committed base lists releases in another order than a render),
 * unless two define the same name: then which one the catalog keeps depends on the order.
 */
function validationContext(environment: EnvironmentManifests, options: ValidationOptions, kubernetesVersion: string): string {
  const crds = environment.releases.flatMap(({ resources }) => resources.filter((resource) => isCustomResourceDefinition(resource.object)));
  const names = new Set(crds.map(crdName));
  const ordered = names.size === crds.length ? [...crds].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)) : crds;
  const digest = createHash('sha256');
  const settings = [kubernetesVersion, options.skipKinds ?? [], options.ignoreMissingSchemas ?? false, options.extraCrds ?? []];
  digest.update(JSON.stringify(settings));
  for (const resource of ordered) digest.update(`\u0000${resource.path}\u0000${resource.content}`);
  return `${environment.environment}\u0000${digest.digest('hex')}`;
}

/** The report of a run's outcomes, in resource order: each CRD warning once, findings and skips sorted. */
function reportOf(outcomes: readonly ResourceOutcome[], kubernetesVersion: string): ValidationReport {
  const findings: Finding[] = [];
  const skipped: SkippedResource[] = [];
  const warnings: Finding[] = [];
  const warned = new Set<string>();
  for (const outcome of outcomes) {
    findings.push(...outcome.findings);
    if (outcome.skipped) skipped.push(outcome.skipped);
    for (const { id, warning } of outcome.warnings) {
      if (warned.has(id)) continue;
      warned.add(id);
      warnings.push(warning);
    }
  }
  return {
    kubernetesVersion,
    resourceCount: outcomes.length,
    findings: sortFindings(findings),
    skipped: sortSkipped(skipped),
    warnings: sortFindings(warnings),
  };
}

/** Where a finding about the resource points. */
function findingBase(resource: RenderedResource): Omit<SkippedResource, 'reason'> {
  return {
    environment: resource.environment,
    release: resource.release,
    resource: resource.key,
    apiVersion: resource.apiVersion,
    file: resource.path,
  };
}

/** Validates one resource (unless its kind is skipped): its findings, its skip or its CRD's warnings. */
async function resourceOutcome(
  run: ValidationRun,
  scope: EnvironmentScope,
  resource: RenderedResource,
  skip: (resource: RenderedResource) => string | undefined,
): Promise<ResourceOutcome> {
  const base = findingBase(resource);
  const skipReason = skip(resource);
  if (skipReason) return { findings: [], warnings: [], skipped: { ...base, reason: skipReason } };
  const resolution = await resolveResource(run, scope, resource);
  if (
    resolution.type === 'skip' ||
    (resolution.type === 'finding' && resolution.rule === FINDING_RULES.missingSchema && run.options.ignoreMissingSchemas)
  ) {
    const reason = resolution.type === 'skip' ? resolution.reason : `${resolution.message} (ignore-missing-schemas)`;
    return { findings: [], warnings: [], skipped: { ...base, reason } };
  }
  if (resolution.type === 'finding') {
    // A whole-resource finding points at apiVersion, the line to change for an API that is not served.
    const line = new YamlLocator(resource.content).line(['apiVersion']);
    return { findings: [{ ...base, line, path: '', message: resolution.message, rule: resolution.rule }], warnings: [] };
  }
  const warnings = resolution.crd && resolution.notes?.length ? crdNoteWarnings(scope, resource, resolution) : [];
  const findings: Finding[] = [];
  for (const violation of findFileModeViolations(resource.object)) {
    findings.push({
      ...base,
      line: new YamlLocator(resource.content).line(violation.segments),
      path: formatJsonPath(violation.segments),
      message: fileModeMessage(violation),
      rule: FINDING_RULES.fileMode,
    });
  }
  const { validator } = resolution;
  // JSON Schema knows numbers only; integers beyond 2^53 are BigInt in parsed manifests.
  const value = withNumbers(resource.object);
  if (validator.isValid(value)) return { findings, warnings };
  const hideValues = resource.key.group === '' && resource.key.kind === 'Secret';
  const locator = new YamlLocator(resource.content);
  for (const violation of describeViolations(validator.violations(value), value, { hideValues })) {
    findings.push({
      ...base,
      line: locator.line(violation.segments),
      path: formatJsonPath(violation.segments),
      message: violation.message,
      rule: violation.rule,
    });
  }
  return { findings, warnings };
}

/** The schema a resource is checked against: its CRD's, the built-in kind's, or why there is none. */
async function resolveResource(run: ValidationRun, scope: EnvironmentScope, resource: RenderedResource): Promise<Resolution> {
  const groupVersion = parseApiVersion(resource.apiVersion);
  const kind = resource.key.kind;
  if (!isWellFormedGroupVersion(groupVersion)) {
    return {
      type: 'finding',
      rule: FINDING_RULES.apiNotServed,
      message: `apiVersion ${JSON.stringify(resource.apiVersion)} is not a valid API version (group/version, e.g. apps/v1)`,
    };
  }
  const crd = scope.catalog.lookup(groupVersion.group, kind);
  if (crd) return resolveCustomResource(crd, groupVersion, kind, run.schemas, run.compiler);
  const key = `${resource.apiVersion}|${kind}`;
  let pending = run.builtInResolutions.get(key);
  if (!pending) {
    pending = resolveBuiltIn(groupVersion, kind, run.schemas, run.compiler);
    run.builtInResolutions.set(key, pending);
  }
  const resolution = await pending;
  if (resolution.type === 'finding' && resolution.mightBeCustomResource)
    return { ...resolution, message: `${resolution.message}${noCrdAdvice(scope.environment, groupVersion.group, kind)}` };
  return resolution;
}

/**
 * A CRD schema check that cannot be made exactly is a warning pointing at the CRD when it is
 * rendered; the run reports each (environment, CRD, version, location) once.
 */
function crdNoteWarnings(
  scope: EnvironmentScope,
  resource: RenderedResource,
  resolution: Extract<Resolution, { type: 'validate' }>,
): ResourceOutcome['warnings'] {
  const crd = resolution.crd!;
  const target = scope.crdResources.get(crd.name) ?? resource;
  return (resolution.notes ?? []).map((note) => {
    const id = `${scope.environment}|${crd.name}|${resolution.versionName}|${note.location}`;
    const made = `${id}|${target.path}`;
    let warning = scope.noteWarnings.get(made);
    if (!warning) {
      warning = {
        ...findingBase(target),
        line: new YamlLocator(target.content).line(['spec', 'versions']),
        path: `.spec.versions[name=${resolution.versionName}].schema.openAPIV3Schema${note.location}`,
        message: `${note.message}; values of ${resource.key.kind} are accepted without this check`,
        rule: FINDING_RULES.patternNotChecked,
      };
      scope.noteWarnings.set(made, warning);
    }
    return { id, warning };
  });
}

function catalogOf(environment: EnvironmentManifests, extraCrds: readonly CrdFileObject[]): CustomResourceCatalog {
  const catalog = new CustomResourceCatalog();
  for (const extra of extraCrds) catalog.add(extra.object, `extra CRD file ${extra.origin}`);
  for (const { resources } of environment.releases) {
    for (const resource of resources) {
      if (isCustomResourceDefinition(resource.object)) catalog.add(resource.object, `release "${resource.release}" (${resource.path})`);
    }
  }
  return catalog;
}

function crdName(resource: RenderedResource): string {
  return resource.key.name;
}

/** Downloads every document the render needs at once, so a cold run waits for the slowest, not the sum. */
async function prefetchDocuments(
  environments: readonly EnvironmentManifests[],
  catalogs: Map<string, CustomResourceCatalog>,
  schemas: SchemaSource,
  skip: (resource: RenderedResource) => string | undefined,
): Promise<void> {
  const needed = new Map<string, GroupVersion>();
  for (const environment of environments) {
    const catalog = catalogs.get(environment.environment)!;
    for (const { resources } of environment.releases) {
      for (const resource of resources) {
        if (skip(resource)) continue;
        const groupVersion = parseApiVersion(resource.apiVersion);
        if (!isWellFormedGroupVersion(groupVersion)) continue;
        // Every validation needs core/v1: built-in kinds share its types, custom resources its ObjectMeta.
        needed.set('v1', CORE_V1);
        if (!catalog.lookup(groupVersion.group, resource.key.kind) && isUpstreamGroup(groupVersion.group))
          needed.set(resource.apiVersion, groupVersion);
      }
    }
  }
  // Settle every download before failing, so no write is still under way when the error is reported.
  const results = await Promise.allSettled([...needed.values()].map((groupVersion) => schemas.document(groupVersion)));
  const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed) throw failed.reason;
  if (needed.size > 0) await coreDocument(schemas);
}

async function resolveBuiltIn(
  groupVersion: GroupVersion,
  kind: string,
  schemas: SchemaSource,
  compiler: SchemaCompiler,
): Promise<Resolution> {
  const apiVersion = formatApiVersion(groupVersion);
  const kubernetes = `Kubernetes ${schemas.kubernetesVersion.version}`;
  if (!isUpstreamGroup(groupVersion.group)) {
    return {
      type: 'finding',
      rule: FINDING_RULES.missingSchema,
      message: `no schema for ${kind} (${apiVersion}): it is not a Kubernetes API`,
      mightBeCustomResource: true,
    };
  }
  const loaded = await schemas.document(groupVersion);
  if (!loaded) {
    const removed = removedApi(apiVersion, kind);
    if (removed) {
      const fix = removed.replacement ? `use ${removed.replacement}` : (removed.fix ?? 'it has no replacement');
      return {
        type: 'finding',
        rule: FINDING_RULES.apiNotServed,
        message: `apiVersion ${apiVersion} is not served by ${kubernetes} (removed in ${removed.removedIn}); ${fix}`,
      };
    }
    const elsewhere = await servedElsewhere(groupVersion, kind, schemas);
    return {
      type: 'finding',
      rule: FINDING_RULES.apiNotServed,
      message: `apiVersion ${apiVersion} is not served by ${kubernetes}${elsewhere ? `; use ${elsewhere}` : ''}`,
      mightBeCustomResource: !elsewhere,
    };
  }
  const schemaName = loaded.kinds.get(kind);
  if (!schemaName) {
    const elsewhere = await servedElsewhere(groupVersion, kind, schemas);
    return {
      type: 'finding',
      rule: elsewhere ? FINDING_RULES.apiNotServed : FINDING_RULES.missingSchema,
      message: elsewhere
        ? `${kind} is not served as ${apiVersion} by ${kubernetes}; use ${elsewhere}`
        : `${kubernetes} serves ${apiVersion} but no kind ${kind} in it; check the kind's spelling`,
    };
  }
  compiler.addDocument(loaded, await coreDocument(schemas));
  return { type: 'validate', validator: compiler.builtInValidator(groupVersion, schemaName) };
}

/**
 * Versions probed when a group/version is not served, most stable first. Upstream publishes no
 * index of its documents, so a few likely names are asked for (a 404 is cached like a document).
 */
const PROBED_VERSIONS = ['v1', 'v2', 'v1beta2', 'v1beta1'];

/** Another version of the same group that serves the kind: those loaded already, then the probed ones. */
async function servedElsewhere(groupVersion: GroupVersion, kind: string, schemas: SchemaSource): Promise<string | undefined> {
  const others = (documents: LoadedDocument[]) =>
    documents.filter(
      (document) => document.groupVersion.group === groupVersion.group && document.groupVersion.version !== groupVersion.version,
    );
  const known = others(schemas.loadedDocuments()).find((document) => document.kinds.has(kind));
  if (known) return formatApiVersion(known.groupVersion);
  for (const version of PROBED_VERSIONS) {
    if (version === groupVersion.version) continue;
    const candidate = await schemas.document({ group: groupVersion.group, version });
    if (candidate?.kinds.has(kind)) return formatApiVersion(candidate.groupVersion);
  }
  return undefined;
}

async function resolveCustomResource(
  crd: CustomResourceDefinitionEntry,
  groupVersion: GroupVersion,
  kind: string,
  schemas: SchemaSource,
  compiler: SchemaCompiler,
): Promise<Resolution> {
  const served = crd.versions.filter((version) => version.served).map((version) => version.name);
  const version = crd.versions.find((candidate) => candidate.name === groupVersion.version);
  if (!version || !version.served) {
    return {
      type: 'finding',
      rule: FINDING_RULES.apiNotServed,
      message:
        `apiVersion ${formatApiVersion(groupVersion)} is not served by the CustomResourceDefinition ${crd.name} ` +
        `(${crd.origin}); it ` +
        `serves ${served.length ? served.map((name) => `${groupVersion.group}/${name}`).join(', ') : 'no version'}`,
    };
  }
  if (!version.schema)
    return { type: 'skip', reason: `the CustomResourceDefinition ${crd.name} (${crd.origin}) has no schema for ${version.name}` };
  const core = await coreDocument(schemas);
  compiler.addDocument(core, core);
  const cacheKey = customResourceCacheKey(crd.group, kind, version.name, version.schema);
  try {
    const { validator, notes } = compiler.customResourceValidator(cacheKey, version.schema);
    return { type: 'validate', validator, crd, notes, versionName: version.name };
  } catch (error) {
    return {
      type: 'finding',
      rule: FINDING_RULES.invalidSchema,
      message:
        `the schema of ${kind}.${crd.group} ${version.name} in the CustomResourceDefinition ${crd.name} (${crd.origin}) ` +
        `cannot be used: ${(error as Error).message}; fix the CRD`,
    };
  }
}

/** Keys already computed, by schema object: every resource of a kind asks again, and a CRD schema can be large. */
const customResourceCacheKeys = new WeakMap<object, Map<string, string>>();

/** Identifies a CRD version's schema by content, so equal CRDs of several environments compile once. */
function customResourceCacheKey(group: string, kind: string, versionName: string, schema: object): string {
  let keys = customResourceCacheKeys.get(schema);
  if (!keys) {
    keys = new Map();
    customResourceCacheKeys.set(schema, keys);
  }
  const prefix = `${group}|${kind}|${versionName}`;
  let key = keys.get(prefix);
  if (!key) {
    key = createHash('sha256')
      .update(`${prefix}|${JSON.stringify(schema, kubernetesJsonReplacer)}`)
      .digest('hex')
      .slice(0, 32);
    keys.set(prefix, key);
  }
  return key;
}

/** Said when a kind might come from a CRD (any group with a dot: `*.k8s.io` groups are CRDs too, e.g. Gateway API). */
async function coreDocument(schemas: SchemaSource): Promise<LoadedDocument> {
  const core = await schemas.document(CORE_V1);
  if (!core) {
    // Every Kubernetes version serves core/v1: without it the location is wrong, not the resources.
    throw new SchemaDownloadError(
      `there is no Kubernetes ${schemas.kubernetesVersion.version} OpenAPI schema of core/v1 at ${schemas.baseUrl}`,
      'the location must hold api__v1_openapi.json and the apis__<group>__<version>_openapi.json documents',
    );
  }
  return core;
}

function noCrdAdvice(environment: string, group: string, kind: string): string {
  if (!group.includes('.')) return '';
  return (
    `, and no CustomResourceDefinition rendered in environment ${JSON.stringify(environment)} or given as an extra CRD ` +
    `defines ${kind}.${group}; add the CRD to the render or skip the kind`
  );
}

/** Groups whose schemas upstream publishes or might: the core group, the legacy unqualified groups, `*.k8s.io`. */
function isUpstreamGroup(group: string): boolean {
  return group === '' || !group.includes('.') || group.endsWith('.k8s.io');
}

/** The object with BigInt integers as numbers (a copy only when one is present). */
function withNumbers(value: unknown): unknown {
  return containsBigInt(value) ? JSON.parse(JSON.stringify(value, kubernetesJsonReplacer)) : value;
}

function containsBigInt(value: unknown): boolean {
  if (typeof value === 'bigint') return true;
  if (typeof value !== 'object' || value === null) return false;
  for (const child of Array.isArray(value) ? value : Object.values(value)) if (containsBigInt(child)) return true;
  return false;
}
