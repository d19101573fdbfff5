import { mkdtemp, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildEnvironmentManifests } from '../../src/render/documents.js';
import type { EnvironmentManifests } from '../../src/model/manifests.js';
import { createSchemaSource, type SchemaSource, type SchemaSourceSettings } from '../../src/validate/schemas/schema-source.js';
import { startKubernetesOpenApiServer, type KubernetesOpenApiServer } from '../support/kubernetes-openapi-server.js';

const FIXTURE_CHARTS = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'charts');

/** The CRD the widget-operator fixture chart ships (real chart data). */
export function widgetCrd(version: '0.1.0' | '0.2.0' = '0.2.0'): string {
  return readFileSync(join(FIXTURE_CHARTS, 'widget-operator', version, 'crds', 'widgets.example.com.yaml'), 'utf8');
}

/**
 * A namespaced CustomResourceDefinition serving `kind` in `group` as v1, its spec an object with
 * `specProperties` (YAML, written unindented: one property per line and its children below it).
 */
export function crdYaml(group: string, kind: string, specProperties: string): string {
  const plural = `${kind.toLowerCase()}s`;
  const properties = specProperties
    .trimEnd()
    .split('\n')
    .map((line) => `                ${line}`)
    .join('\n');
  return `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: ${plural}.${group}
spec:
  group: ${group}
  names: {kind: ${kind}, plural: ${plural}, singular: ${kind.toLowerCase()}, listKind: ${kind}List}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
${properties}
`;
}

/** An environment built from YAML per release, exactly as a render builds it (one resource per file). */
export function environment(name: string, releases: Record<string, string>, namespace = 'apps'): EnvironmentManifests {
  return buildEnvironmentManifests(
    name,
    Object.entries(releases).map(([release, text]) => ({
      release: { name: release, namespace, chart: `fixtures/${release}`, version: '1.0.0', enabled: true, labels: '' },
      files: [{ path: `${release}/templates/resources.yaml`, text }],
    })),
  );
}

/** A local server with the real upstream documents and a fresh schema cache directory. */
export async function schemaFixture(): Promise<{
  server: KubernetesOpenApiServer;
  cacheDirectory: string;
  source: (settings?: SchemaSourceSettings) => SchemaSource;
  remove: () => Promise<void>;
}> {
  const server = await startKubernetesOpenApiServer();
  const cacheDirectory = await mkdtemp(join(tmpdir(), 'hydrate-schemas-'));
  return {
    server,
    cacheDirectory,
    source: (settings = {}) => createSchemaSource({ kubernetesSchemas: server.baseUrl, cacheDirectory, ...settings }),
    remove: async () => {
      await server.close();
      await rm(cacheDirectory, { recursive: true, force: true });
    },
  };
}
