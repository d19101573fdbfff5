import { ServedKinds } from './discovery.js';
import type { KubeClient } from './kube-client.js';
import { refusalOf, type ApiServerRefusal } from './refusal.js';
import type { SyncObject } from './sync-order.js';

/**
 * A CRD is usually established within a second or two; on a loaded 2-core machine, 56 CRDs have
 * taken over 30 s. This bounds a server that never gets there.
 */
const CRD_ESTABLISHED_TIMEOUT_MS = 180_000;
/** How often the CRDs still waiting are read for refused names. */
const CONDITIONS_CHECK_MS = 5_000;
/** Discovery answers are a few hundred kilobytes: polled often enough to notice at once, rarely enough not to load the server. */
const POLL_MS = 250;

/**
 * Discovery again, until every accepted CRD's kinds are served: the server lists a CRD's resources
 * once it is established, so one small answer per poll replaces a read of every (often
 * megabyte-sized) CRD. Now and then the CRDs still waiting are read: names the server does not
 * accept are a refusal. A CRD the server has not established by the deadline fails the check:
 * that is the server being starved, not the change, and a refusal would blame the change.
 */
export async function servedOnceEstablished(
  client: KubeClient,
  crds: readonly SyncObject[],
  refused: ApiServerRefusal[],
): Promise<ServedKinds> {
  const deadline = Date.now() + CRD_ESTABLISHED_TIMEOUT_MS;
  let waiting = [...crds];
  let nextConditionsCheck = Date.now() + CONDITIONS_CHECK_MS;
  for (;;) {
    const kinds = await ServedKinds.discover(client);
    waiting = waiting.filter((item) => servedVersions(item.object).some(({ apiVersion, kind }) => !kinds.get(apiVersion, kind)));
    if (waiting.length && Date.now() > nextConditionsCheck) {
      nextConditionsCheck = Date.now() + CONDITIONS_CHECK_MS;
      const conditions = await Promise.all(waiting.map((item) => crdConditions(client, item)));
      const namesRefused = new Set(waiting.filter((_, index) => conditions[index]!.namesRefused));
      for (const item of namesRefused)
        refused.push(refusalOf(item, 'apply', { status: 422, text: conditions[waiting.indexOf(item)]!.said }));
      waiting = waiting.filter((item) => !namesRefused.has(item));
    }
    if (waiting.length === 0) return kinds;
    if (Date.now() > deadline) {
      const said = await Promise.all(waiting.map(async (item) => `${item.key.name}: ${(await crdConditions(client, item)).said}`));
      throw new Error(
        `the local API server did not establish ${waiting.length} CRD(s) within ${CRD_ESTABLISHED_TIMEOUT_MS / 1000} s ` +
          `(the machine may be overloaded; run again): ${said.join('; ')}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

async function crdConditions(client: KubeClient, item: SyncObject): Promise<{ namesRefused: boolean; said: string }> {
  const answer = await client.request(
    'GET',
    `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${encodeURIComponent(item.key.name)}`,
  );
  const conditions =
    (answer.json as { status?: { conditions?: { type?: string; status?: string; message?: string }[] } } | undefined)?.status?.conditions ??
    [];
  const said = conditions.map((condition) => `${condition.type}=${condition.status}${condition.message ? ` (${condition.message})` : ''}`);
  return {
    namesRefused: conditions.some((condition) => condition.type === 'NamesAccepted' && condition.status === 'False'),
    said: `the CRD's conditions: ${said.join('; ') || 'none yet'}`,
  };
}

function servedVersions(crd: Record<string, unknown>): { apiVersion: string; kind: string }[] {
  const spec = crd.spec as { group?: string; names?: { kind?: string }; versions?: { name?: string; served?: boolean }[] } | undefined;
  if (!spec?.group || !spec.names?.kind) return [];
  return (spec.versions ?? [])
    .filter((version) => version.served !== false && version.name)
    .map((version) => ({ apiVersion: `${spec.group}/${version.name}`, kind: spec.names!.kind! }));
}
