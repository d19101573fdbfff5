import { basename } from 'node:path';
import type { SchemaSource } from '../validate/schemas/schema-source.js';
import { withPersistedDirectory } from './persisted-directory.js';

/** Keeps the downloaded Kubernetes OpenAPI documents between workflow runs (see withPersistedDirectory). */
export function withPersistedSchemaCache<T>(schemas: SchemaSource, task: () => Promise<T>): Promise<T> {
  const directory = schemas.cacheDirectory;
  if (!directory) return task();
  return withPersistedDirectory(
    { directory, keyPrefix: `helmfile-hydrate-kubernetes-openapi-${basename(directory)}-`, what: 'Kubernetes schemas' },
    task,
  );
}
