import { mapLimited } from '../concurrency/map-limited.js';
import { formatResourceKey } from '../model/resource-key.js';
import { objectPath, ServedKinds, type ServedKind } from './discovery.js';
import { servedOnceEstablished } from './crd-establishment.js';
import type { KubeClient, KubeResponse } from './kube-client.js';
import { refusalOf, type ApiServerRefusal, type NotExercised } from './refusal.js';
import {
  isCustomResourceDefinition,
  isNamespace,
  syncSteps,
  syncTreatment,
  withoutConversionWebhook,
  type SyncObject,
} from './sync-order.js';

/** Argo CD's field manager for server-side apply: a later sync by Argo CD owns exactly these fields. */
export const FIELD_MANAGER = 'argocd-controller';

/** Requests in flight at once on the one connection; the server's HTTP/2 stream limit is far above it. */
const CONCURRENT_REQUESTS = 16;
/**
 * CRDs in flight at once: server-side apply of a CRD of several megabytes (Argo CD's ApplicationSet)
 * takes seconds of CPU; a few at a time keep every request well inside the server's timeout.
 */
const CONCURRENT_CRD_REQUESTS = 4;

export interface ApplyOutcome {
  refused: ApiServerRefusal[];
  notExercised: NotExercised[];
}

/**
 * Sends objects to the API server as an Argo CD sync with `ServerSideApply=true` and
 * `CreateNamespace=true` does: namespaces, then CRDs (waiting until established), then the rest
 * by phase, wave and kind, the objects of one step in parallel. Every refusal is collected; none
 * stops the others.
 */
export async function applyObjects(client: KubeClient, objects: readonly SyncObject[]): Promise<ApplyOutcome> {
  const outcome: ApplyOutcome = { refused: [], notExercised: [] };
  let kinds = await ServedKinds.discover(client);
  await createNamespaces(client, kinds, objects, outcome);
  const crds = objects.filter(isCustomResourceDefinition);
  if (crds.length) kinds = await applyCustomResourceDefinitions(client, kinds, crds, outcome);
  const rest = objects.filter((item) => !isNamespace(item) && !isCustomResourceDefinition(item));
  for (const step of syncSteps(rest)) {
    await forEachObject(step.objects, CONCURRENT_REQUESTS, async (item) => {
      const refusal = await sendObject(client, kinds, item, outcome);
      if (refusal) outcome.refused.push(refusal);
    });
  }
  return outcome;
}

/**
 * `send` for every object, a few at a time. A request that got no answer (the connection dropped,
 * a stream reset) fails the check naming the objects: left out, the object would read as accepted.
 */
async function forEachObject(items: readonly SyncObject[], limit: number, send: (item: SyncObject) => Promise<void>): Promise<void> {
  const settled = await mapLimited(items, limit, send);
  const unanswered = settled.flatMap((result, index) =>
    result.status === 'rejected'
      ? [`${formatResourceKey(items[index]!.key)} (${items[index]!.path}): ${(result.reason as Error)?.message ?? String(result.reason)}`]
      : [],
  );
  if (unanswered.length) {
    throw new Error(`the local API server gave no verdict on ${unanswered.length} object(s): ${unanswered.join('; ')}`);
  }
}

/** Deletes objects (a sync's prune), last wave first; an object already gone is not a refusal. */
export async function deleteObjects(client: KubeClient, objects: readonly SyncObject[]): Promise<ApiServerRefusal[]> {
  const kinds = await ServedKinds.discover(client);
  const refused: ApiServerRefusal[] = [];
  for (const step of syncSteps(objects).reverse()) {
    await forEachObject(step.objects, CONCURRENT_REQUESTS, async (item) => {
      const served = kinds.get(item.apiVersion, item.key.kind);
      if (!served) return;
      const answer = await remove(client, item, served);
      if (!accepted(answer) && answer.status !== 404) refused.push(refusalOf(item, 'delete', answer));
    });
  }
  return refused;
}

async function createNamespaces(client: KubeClient, kinds: ServedKinds, objects: readonly SyncObject[], outcome: ApplyOutcome) {
  const explicit = objects.filter(isNamespace);
  const named = new Set(explicit.map((item) => item.key.name));
  const implicit = [...new Set(objects.flatMap((item) => (item.key.namespace ? [item.key.namespace] : [])))].filter(
    (name) => !named.has(name),
  );
  const created = await mapLimited(implicit.sort(), CONCURRENT_REQUESTS, (name) =>
    client.request('POST', '/api/v1/namespaces', JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }), {
      'content-type': 'application/json',
    }),
  );
  // A namespace the server refuses shows in the refusals of the objects in it; one it did not answer would not.
  const unanswered = created.flatMap((result, index) => (result.status === 'rejected' ? [implicit[index]!] : []));
  if (unanswered.length) throw new Error(`the local API server did not answer the creation of namespace(s) ${unanswered.join(', ')}`);
  await forEachObject(explicit, CONCURRENT_REQUESTS, async (item) => {
    const refusal = await sendObject(client, kinds, item, outcome);
    if (refusal) outcome.refused.push(refusal);
  });
}

async function applyCustomResourceDefinitions(
  client: KubeClient,
  kinds: ServedKinds,
  crds: readonly SyncObject[],
  outcome: ApplyOutcome,
): Promise<ServedKinds> {
  const accepted: SyncObject[] = [];
  await forEachObject(crds, CONCURRENT_CRD_REQUESTS, async (item) => {
    const { object, webhook } = withoutConversionWebhook(item.object);
    if (webhook) {
      outcome.notExercised.push({
        ...source(item),
        reason: 'its conversion webhook: versions were converted by the API server alone (strategy None)',
      });
    }
    const refusal = await sendObject(client, kinds, { ...item, object }, outcome);
    if (refusal) outcome.refused.push(refusal);
    else accepted.push(item);
  });
  return servedOnceEstablished(client, accepted, outcome.refused);
}

async function sendObject(
  client: KubeClient,
  kinds: ServedKinds,
  item: SyncObject,
  outcome: ApplyOutcome,
): Promise<ApiServerRefusal | undefined> {
  const treatment = syncTreatment(item);
  if (treatment === 'skip') return undefined;
  const served = kinds.get(item.apiVersion, item.key.kind);
  if (!served) {
    return refusalOf(item, 'apply', {
      status: 404,
      text:
        `the API server serves no ${item.key.kind} in ${item.apiVersion}: no built-in API and no CustomResourceDefinition ` +
        'of this environment defines it (Argo CD: "could not find the requested resource")',
    });
  }
  if (treatment === 'dry-run') {
    outcome.notExercised.push({
      ...source(item),
      reason: `${formatResourceKey(item.key)} is validated but not registered: its service does not run here`,
    });
  }
  if (treatment === 'recreate') await remove(client, item, served);
  const answer = await serverSideApply(client, item, served, treatment === 'dry-run');
  if (accepted(answer)) return undefined;
  return refusalOf(item, treatment === 'dry-run' ? 'dry-run' : 'apply', answer);
}

/**
 * Server-side apply as `kubectl apply --server-side` (Argo CD's ServerSideApply=true) sends it:
 * conflicts forced, unknown and duplicate fields refused (kubectl's default `--validate=strict`).
 */
function serverSideApply(client: KubeClient, item: SyncObject, served: ServedKind, dryRun: boolean): Promise<KubeResponse> {
  const metadata = { ...(item.object.metadata as Record<string, unknown>) };
  const namespace = served.namespaced ? (item.key.namespace ?? 'default') : undefined;
  if (namespace) metadata.namespace = namespace;
  else delete metadata.namespace;
  const query = `?fieldManager=${FIELD_MANAGER}&force=true&fieldValidation=Strict${dryRun ? '&dryRun=All' : ''}`;
  return client.request(
    'PATCH',
    objectPath(item.apiVersion, served, namespace, item.key.name) + query,
    JSON.stringify({ ...item.object, metadata }),
    {
      'content-type': 'application/apply-patch+yaml',
    },
  );
}

function remove(client: KubeClient, item: SyncObject, served: ServedKind): Promise<KubeResponse> {
  const namespace = served.namespaced ? (item.key.namespace ?? 'default') : undefined;
  return client.request(
    'DELETE',
    objectPath(item.apiVersion, served, namespace, item.key.name),
    JSON.stringify({ propagationPolicy: 'Background' }),
    {
      'content-type': 'application/json',
    },
  );
}

function accepted(answer: KubeResponse): boolean {
  return answer.status >= 200 && answer.status < 300;
}

function source(item: SyncObject) {
  return { environment: item.environment, release: item.release, resource: item.key, path: item.path };
}
