import { readdir, readFile } from 'node:fs/promises';
import { mapLimited } from '../concurrency/map-limited.js';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { apiGroup, compareResourceKeys, type EnvironmentManifests, type RenderedResource, type ResourceKey } from '../render/index.js';
import type { Finding } from './finding.js';
import { FINDING_RULES } from './validate.js';
import { findDuplicateKeys } from './yaml-location.js';

/** Files read at once; enough to keep the disk busy, few enough for any open-file limit. */
const CONCURRENT_READS = 32;

export interface ManifestsForValidation {
  environments: EnvironmentManifests[];
  /** Problems of the files themselves: duplicate keys, files that are not one Kubernetes object. */
  findings: Finding[];
}

/**
 * Reads a manifests tree (`<dir>/<environment>/<release>/*.yaml`) for validation. Unlike
 * `readManifestTree` it does not stop at the first bad file: a duplicate key becomes a finding
 * (the resource is still validated with the last value, as kubectl would apply it) and a file that
 * is not a Kubernetes object becomes a finding of its own.
 */
export async function readManifestsForValidation(outputDir: string, environments?: readonly string[]): Promise<ManifestsForValidation> {
  const names = environments?.length ? [...environments] : await directories(outputDir);
  // Files are read concurrently (reading one at a time leaves the process idle for a third of a
  // 2,500-file run) and parsed in order.
  const layout: { environment: string; releases: { release: string; files: string[] }[] }[] = [];
  for (const environment of names) {
    const releases = [];
    for (const release of await directories(join(outputDir, environment))) {
      const files = (await readdir(join(outputDir, environment, release))).filter((name) => name.endsWith('.yaml')).sort();
      releases.push({ release, files });
    }
    layout.push({ environment, releases });
  }
  const paths = layout.flatMap(({ environment, releases }) => releases.flatMap(({ release, files }) => files.map((file) => `${environment}/${release}/${file}`)));
  const contents = new Map<string, string>();
  const reads = await mapLimited(paths, CONCURRENT_READS, async (path) => contents.set(path, await readFile(join(outputDir, ...path.split('/')), 'utf8')));
  const failed = reads.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed) throw failed.reason;

  const result: EnvironmentManifests[] = [];
  const findings: Finding[] = [];
  for (const { environment, releases: releaseFiles } of layout) {
    const releases = [];
    for (const { release, files } of releaseFiles) {
      const resources: RenderedResource[] = [];
      for (const file of files) {
        const path = `${environment}/${release}/${file}`;
        const content = contents.get(path)!;
        // One parse: duplicate keys are recorded as errors while the document still composes (last
        // value wins); their lines are computed only then (a line counter slows every parse).
        const document = parseDocument(content, { uniqueKeys: true });
        const hasDuplicates = document.errors.some((error) => error.code === 'DUPLICATE_KEY');
        const fatal = document.errors.find((error) => error.code !== 'DUPLICATE_KEY');
        const object = fatal ? undefined : (document.toJS() as unknown);
        const metadata = isRecord(object) && isRecord(object.metadata) ? object.metadata : {};
        if (!isRecord(object) || typeof object.apiVersion !== 'string' || typeof object.kind !== 'string' || typeof metadata.name !== 'string') {
          const problem = fatal ? `invalid YAML: ${fatal.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}` : 'not a Kubernetes object with apiVersion, kind and metadata.name';
          findings.push({
            environment,
            release,
            resource: { group: '', kind: 'Unknown', name: file },
            apiVersion: '',
            file: path,
            ...(fatal?.linePos ? { line: fatal.linePos[0].line } : {}),
            path: '',
            message: `${problem}; each file under the manifests directory must hold exactly one resource`,
            rule: FINDING_RULES.invalidValue,
          });
          continue;
        }
        const key: ResourceKey = { group: apiGroup(object.apiVersion), kind: object.kind, name: metadata.name };
        if (typeof metadata.namespace === 'string') key.namespace = metadata.namespace;
        const source = /^#\s*Source:\s*(.+)$/m.exec(content)?.[1]?.trim() ?? path;
        const resource: RenderedResource = { key, apiVersion: object.apiVersion, environment, release, path, content, object, source };
        resources.push(resource);
        for (const duplicate of hasDuplicates ? findDuplicateKeys(content) : []) {
          findings.push({
            environment,
            release,
            resource: key,
            apiVersion: object.apiVersion,
            file: path,
            line: duplicate.line,
            path: '',
            message: `duplicate key ${JSON.stringify(duplicate.key)}: a key may appear once per mapping (the last value would silently win); remove one`,
            rule: FINDING_RULES.duplicateKey,
          });
        }
      }
      resources.sort((a, b) => compareResourceKeys(a.key, b.key));
      releases.push({ release: { name: release, namespace: '', chart: '', version: '', enabled: true, labels: '' }, resources });
    }
    result.push({ environment, releases });
  }
  return { environments: result, findings };
}

async function directories(path: string): Promise<string[]> {
  try {
    return (await readdir(path, { withFileTypes: true }))
      .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
      .map((entry) => entry.name)
      .sort();
  } catch {
    return [];
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
