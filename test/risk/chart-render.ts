import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { inject } from 'vitest';
import { parseAllDocuments } from 'yaml';
import type { HelmfileRelease } from '../../src/model/release.js';
import { release } from '../diff/manifest-builder.js';
import { SHARED_CHARTS } from '../support/shared-charts.js';

/** A release as the platform pins it: chart archive under ../shared/charts, namespace, extra helm flags. */
export interface ReleaseSpec {
  name: string;
  archive: string;
  namespace: string;
  flags: string[];
}

/** A rendered release: the objects helm wrote, for environment() of test/diff/manifest-builder.ts. */
export interface RenderedRelease {
  release: HelmfileRelease;
  objects: Record<string, any>[];
}

/** A helm home of its own (cache, config, data), so renders neither read nor write the user's. */
export async function isolatedHelmHome(): Promise<{ env: Record<string, string>; remove(): Promise<void> }> {
  const home = await mkdtemp(join(tmpdir(), 'hydrate-helm-'));
  return {
    env: { HELM_CACHE_HOME: join(home, 'cache'), HELM_CONFIG_HOME: join(home, 'config'), HELM_DATA_HOME: join(home, 'data') },
    remove: () => rm(home, { recursive: true, force: true }),
  };
}

/** One release rendered with the real helm, namespaced as helmfile would namespace it. */
export async function renderRelease(spec: ReleaseSpec, env: Record<string, string>): Promise<RenderedRelease> {
  const { stdout } = await execa(
    inject('helmPath'),
    ['template', spec.name, join(SHARED_CHARTS!, spec.archive), '--namespace', spec.namespace, ...spec.flags],
    { env },
  );
  const objects = parseAllDocuments(stdout)
    .map((document) => document.toJS() as Record<string, any> | null)
    .filter((object): object is Record<string, any> => object !== null && typeof object.kind === 'string')
    .map((object) =>
      object.metadata.namespace || isClusterScoped(object.kind)
        ? object
        : { ...object, metadata: { ...object.metadata, namespace: spec.namespace } },
    );
  return { release: release(spec.name, spec.archive, spec.archive.replace(/.*-(v?[\d.]+)\.tgz$/, '$1'), spec.namespace), objects };
}

function isClusterScoped(kind: string): boolean {
  return [
    'CustomResourceDefinition',
    'ClusterRole',
    'ClusterRoleBinding',
    'Namespace',
    'StorageClass',
    'CSIDriver',
    'PriorityClass',
    'ValidatingWebhookConfiguration',
    'MutatingWebhookConfiguration',
    'PersistentVolume',
    'IngressClass',
    'APIService',
  ].includes(kind);
}
