/**
 * Writes the same schemas helmfile-hydrate validates with in kubeconform's layout: one standalone
 * JSON Schema per kind (`<group>/<version>/<kind lowercased>.json`; kubeconform (as pinned in tools.json) gives the
 * core group as `v1`, so core kinds are under `v1/v1/`), each with the
 * definitions it reaches, converted by the same code (strict, nullable, int-or-string...). Made at
 * bench time from the upstream documents the tests serve; never committed.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { startLocalServer, type LocalServer } from '../../test/support/static-server.js';
import type { EnvironmentManifests } from '../../src/model/manifests.js';
import { openApiDocumentName, parseApiVersion } from '../../src/validate/schemas/group-version.js';
import { kindsServed, type OpenApiDocument } from '../../src/validate/schemas/openapi-document.js';
import {
  convertBuiltInDocument,
  convertCustomResourceSchema,
  OBJECT_META,
  type JsonSchema,
} from '../../src/validate/schemas/schema-conversion.js';

const DEFINITIONS = '#/definitions/';

export interface KubeconformSchemas {
  kinds: number;
  bytes: number;
}

export async function writeKubeconformSchemas(
  documentsDirectory: string,
  environments: readonly EnvironmentManifests[],
  outputDirectory: string,
): Promise<KubeconformSchemas> {
  const resources = environments.flatMap((environment) => environment.releases.flatMap((release) => release.resources));
  const groupVersions = new Map(resources.map((resource) => [resource.apiVersion, parseApiVersion(resource.apiVersion)]));
  const core = await readDocument(documentsDirectory, '', 'v1');
  const coreDefinitions = definitionsOf(core);
  let kinds = 0;
  let bytes = 0;
  const write = async (group: string, version: string, kind: string, root: JsonSchema, definitions: Record<string, JsonSchema>) => {
    const text = JSON.stringify({
      $schema: 'http://json-schema.org/draft-07/schema#',
      ...(root as object),
      definitions: reachable(root, definitions),
    });
    const directory = join(outputDirectory, group || 'v1', version);
    await mkdir(directory, { recursive: true });
    await writeFile(join(directory, `${kind.toLowerCase()}.json`), text);
    kinds++;
    bytes += text.length;
  };

  for (const { group, version } of groupVersions.values()) {
    const document = await readDocument(documentsDirectory, group, version).catch(() => undefined);
    if (!document) continue; // custom resources: below
    const definitions = definitionsOf(document);
    for (const [kind, name] of kindsServed(document, group, version)) {
      await write(group, version, kind, { $ref: DEFINITIONS + name }, definitions);
    }
  }
  // CustomResourceDefinitions of the render, converted like helmfile-hydrate converts them.
  for (const resource of resources) {
    if (resource.key.kind !== 'CustomResourceDefinition') continue;
    const spec = resource.object.spec as {
      group: string;
      names: { kind: string };
      versions: { name: string; schema?: { openAPIV3Schema?: Record<string, unknown> } }[];
    };
    for (const version of spec.versions) {
      if (!version.schema?.openAPIV3Schema) continue;
      const { schema } = convertCustomResourceSchema(version.schema.openAPIV3Schema, '', DEFINITIONS + OBJECT_META);
      const { $id: _id, ...root } = schema as Record<string, unknown>;
      await write(spec.group, version.name, spec.names.kind, root, coreDefinitions);
    }
  }
  return { kinds, bytes };
}

async function readDocument(directory: string, group: string, version: string): Promise<OpenApiDocument> {
  return JSON.parse(await readFile(join(directory, openApiDocumentName({ group, version })), 'utf8')) as OpenApiDocument;
}

/** The document's component schemas, converted, with `$ref`s local to one file (`#/definitions/<name>`). */
function definitionsOf(document: OpenApiDocument): Record<string, JsonSchema> {
  const { schema } = convertBuiltInDocument(document, '', DEFINITIONS + OBJECT_META);
  return (schema as { definitions: Record<string, JsonSchema> }).definitions;
}

/** Only the definitions `root` reaches, as the standalone schemas kubeconform's registry publishes. */
function reachable(root: JsonSchema, definitions: Record<string, JsonSchema>): Record<string, JsonSchema> {
  const result: Record<string, JsonSchema> = {};
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (typeof value !== 'object' || value === null) return;
    for (const [key, child] of Object.entries(value)) {
      if (key === '$ref' && typeof child === 'string' && child.startsWith(DEFINITIONS)) {
        const name = child.slice(DEFINITIONS.length);
        if (!(name in result) && definitions[name] !== undefined) {
          result[name] = definitions[name];
          visit(definitions[name]);
        }
      } else {
        visit(child);
      }
    }
  };
  visit(root);
  return result;
}

/** Serves the converted schemas of `directory` over HTTP on 127.0.0.1, as kubeconform's `-schema-location` expects them. */
export async function serveKubeconformSchemas(directory: string): Promise<LocalServer> {
  return startLocalServer((request, response) => {
    const path = resolve(directory, `.${decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)}`);
    if (!path.startsWith(directory)) return void response.writeHead(404).end();
    readFile(path).then(
      (body) => response.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length }).end(body),
      () => response.writeHead(404).end(),
    );
  });
}

/**
 * kubeconform's arguments for the benches: strict, JSON summary, schemas from `schemaServerUrl`
 * (see serveKubeconformSchemas), its download cache in `cache`, and the directories to check.
 */
export function kubeconformArguments(schemaServerUrl: string, cache: string, directories: readonly string[]): string[] {
  const location = `${schemaServerUrl}/{{ .Group }}/{{ .ResourceAPIVersion }}/{{ .ResourceKind }}.json`;
  return ['-strict', '-summary', '-output', 'json', '-schema-location', location, '-cache', cache, ...directories];
}
