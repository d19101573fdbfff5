import type { HelmfileState } from '../model/helmfile-state.js';
import { Ajv, type ErrorObject } from 'ajv';
import { parseAllDocuments } from 'yaml';
import type { HelmfileRelease } from '../model/release.js';

const ajv = new Ajv({ allErrors: false });

/** A release in both outputs: a name; namespace, chart and version as strings; `installed` a boolean. */
const releaseSchema = {
  type: 'object',
  required: ['name'],
  properties: {
    name: { type: 'string', minLength: 1 },
    namespace: { type: 'string' },
    chart: { type: 'string' },
    version: { type: 'string' },
    installed: { type: 'boolean' },
  },
} as const;

/** `helmfile list --output json`: its labels are one string (`key:value,...`), `enabled` a boolean. */
const checkListedReleases = ajv.compile<Array<Record<string, unknown>>>({
  type: 'array',
  items: {
    ...releaseSchema,
    properties: { ...releaseSchema.properties, labels: { type: 'string' }, enabled: { type: 'boolean' } },
  },
});

/** The parts of `helmfile build`'s state that fingerprints, values checks and tests read. */
const checkState = ajv.compile<HelmfileState>({
  type: 'object',
  properties: {
    repositories: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, url: { type: 'string' } } } },
    releases: {
      type: 'array',
      items: {
        ...releaseSchema,
        properties: { ...releaseSchema.properties, needs: { type: 'array', items: { type: 'string' } }, values: { type: 'array' } },
      },
    },
  },
});

/** helmfile printed something this project cannot read (a helmfile version with another output format). */
export class HelmfileOutputError extends Error {
  override name = 'HelmfileOutputError';
}

/**
 * The releases of `helmfile list --output json`. helmfile may print warnings before the JSON
 * (deprecations, repository notices), so the array starts at the first `[`.
 */
export function parseListedReleases(stdout: string): HelmfileRelease[] {
  const start = stdout.indexOf('[');
  let raw: unknown;
  try {
    raw = JSON.parse(start === -1 ? '[]' : stdout.slice(start));
  } catch (error) {
    throw new HelmfileOutputError(
      `helmfile list printed no JSON release list (${(error as Error).message}): ${JSON.stringify(stdout.slice(0, 200))}`,
    );
  }
  if (!checkListedReleases(raw))
    throw new HelmfileOutputError(`helmfile list printed an unexpected release list: ${describe(checkListedReleases.errors)}`);
  return raw.map((entry) => ({
    name: String(entry.name),
    namespace: String(entry.namespace ?? ''),
    chart: String(entry.chart ?? ''),
    version: String(entry.version ?? ''),
    enabled: entry.enabled !== false && entry.installed !== false,
    labels: String(entry.labels ?? ''),
  }));
}

/**
 * The states of `helmfile build`: one document per helmfile it reads (the file itself, then each
 * of its `helmfiles:`). Anchors and aliases are allowed without limit: values files use them, and
 * the state is helmfile's own output.
 */
export function parseBuiltStates(stdout: string): HelmfileState[] {
  const documents = parseAllDocuments(stdout);
  const errors = documents.flatMap((document) => document.errors);
  if (errors.length > 0) throw new HelmfileOutputError(`helmfile build printed YAML that does not parse: ${errors[0]!.message}`);
  return documents
    .map((document) => document.toJS({ maxAliasCount: -1 }) as unknown)
    .filter((state) => state !== null && state !== undefined)
    .map((state) => {
      if (!checkState(state)) throw new HelmfileOutputError(`helmfile build printed an unexpected state: ${describe(checkState.errors)}`);
      return { ...state, releases: state.releases ?? [] };
    });
}

function describe(errors: ErrorObject[] | null | undefined): string {
  const error = errors?.[0];
  return error ? `${error.instancePath || '(top)'} ${error.message}` : 'unknown shape';
}
