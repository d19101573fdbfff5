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
  /** CRD notes already reported (one warning per CRD version and schema location). */
  warned: Set<string>;
  findings: Finding[];
  skipped: SkippedResource[];
  warnings: Finding[];
}

/** One environment's CRDs: those it renders (by name, for pointing warnings at them) and the catalog they form. */
interface EnvironmentScope {
  environment: string;
  catalog: CustomResourceCatalog;
  crdResources: Map<string, RenderedResource>;
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
  const { schemas } = options;
  let compiler = compilers.get(schemas);
  if (!compiler) {
    compiler = new SchemaCompiler(
      schemas.kubernetesVersion.version,
      // Beside the version folders of the document cache (kept by the action with it); keys cover every input.
      schemas.cacheDirectory ? fileValidatorStore(join(dirname(schemas.cacheDirectory), VALIDATOR_CACHE_FOLDER)) : undefined,
    );
    compilers.set(schemas, compiler);
  }
  const extraCrds = options.extraCrds?.length ? await readCrdFiles(options.extraCrds) : [];
  const skip = skipMatcher(options.skipKinds ?? []);
  const catalogs = new Map(environments.map((environment) => [environment.environment, catalogOf(environment, extraCrds)]));

  await prefetchDocuments(environments, catalogs, schemas, skip);

  const run: ValidationRun = {
    schemas,
    compiler,
    options,
    builtInResolutions: new Map(),
    warned: new Set(),
    findings: [],
    skipped: [],
    warnings: [],
  };
  let resourceCount = 0;
  for (const environment of environments) {
    const scope: EnvironmentScope = {
      environment: environment.environment,
      catalog: catalogs.get(environment.environment)!,
      crdResources: new Map(),
    };
    for (const { resources } of environment.releases)
      for (const resource of resources)
        if (isCustomResourceDefinition(resource.object)) scope.crdResources.set(crdName(resource), resource);

    for (const { resources } of environment.releases) {
      for (const resource of resources) {
        resourceCount++;
        const skipReason = skip(resource);
        if (skipReason) run.skipped.push({ ...findingBase(resource), reason: skipReason });
        else await validateResource(run, scope, resource);
      }
    }
  }
  return {
    kubernetesVersion: schemas.kubernetesVersion.version,
    resourceCount,
    findings: sortFindings(run.findings),
    skipped: sortSkipped(run.skipped),
    warnings: sortFindings(run.warnings),
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

/** Validates one resource, adding its findings, its skip or its CRD's warnings to the run. */
async function validateResource(run: ValidationRun, scope: EnvironmentScope, resource: RenderedResource): Promise<void> {
  const base = findingBase(resource);
  const resolution = await resolveResource(run, scope, resource);
  if (
    resolution.type === 'skip' ||
    (resolution.type === 'finding' && resolution.rule === FINDING_RULES.missingSchema && run.options.ignoreMissingSchemas)
  ) {
    run.skipped.push({
      ...base,
      reason: resolution.type === 'skip' ? resolution.reason : `${resolution.message} (ignore-missing-schemas)`,
    });
    return;
  }
  if (resolution.type === 'finding') {
    // A whole-resource finding points at apiVersion, the line to change for an API that is not served.
    run.findings.push({
      ...base,
      line: new YamlLocator(resource.content).line(['apiVersion']),
      path: '',
      message: resolution.message,
      rule: resolution.rule,
    });
    return;
  }
  if (resolution.crd && resolution.notes?.length) reportCrdNotes(run, scope, resource, resolution);
  for (const violation of findFileModeViolations(resource.object)) {
    run.findings.push({
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
  if (validator.isValid(value)) return;
  const hideValues = resource.key.group === '' && resource.key.kind === 'Secret';
  const locator = new YamlLocator(resource.content);
  for (const violation of describeViolations(validator.violations(value), value, { hideValues })) {
    run.findings.push({
      ...base,
      line: locator.line(violation.segments),
      path: formatJsonPath(violation.segments),
      message: violation.message,
      rule: violation.rule,
    });
  }
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

/** A CRD schema check that cannot be made exactly is a warning, once, pointing at the CRD when it is rendered. */
function reportCrdNotes(
  run: ValidationRun,
  scope: EnvironmentScope,
  resource: RenderedResource,
  resolution: Extract<Resolution, { type: 'validate' }>,
): void {
  const crd = resolution.crd!;
  for (const note of resolution.notes ?? []) {
    const id = `${scope.environment}|${crd.name}|${resolution.versionName}|${note.location}`;
    if (run.warned.has(id)) continue;
    run.warned.add(id);
    const target = scope.crdResources.get(crd.name) ?? resource;
    run.warnings.push({
      ...findingBase(target),
      line: new YamlLocator(target.content).line(['spec', 'versions']),
      path: `.spec.versions[name=${resolution.versionName}].schema.openAPIV3Schema${note.location}`,
      message: `${note.message}; values of ${resource.key.kind} are accepted without this check`,
      rule: FINDING_RULES.patternNotChecked,
    });
  }
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
