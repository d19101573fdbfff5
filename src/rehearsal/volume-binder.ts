import type { KubeClient } from '../apiserver/kube-client.js';
import type { LiveObject } from './cluster-state.js';

/** The StorageClasses an environment has (rendered, or declared as existing outside the repository), by name. */
export type StorageClasses = ReadonlyMap<string, { provisioner: string }>;

interface ClaimSpec {
  storageClassName?: string | null;
  volumeName?: string;
  accessModes?: string[];
  volumeMode?: string;
  resources?: { requests?: { storage?: string } };
}

/**
 * Plays the provisioners of the known StorageClasses: each pending claim of such a class gets a
 * volume of its size, bound to it (the controller-manager's volume controller completes the
 * binding). A claim of a class nobody defines stays pending, as on the cluster. Returns true when
 * it created a volume (the cluster is still moving).
 */
export async function bindClaims(client: KubeClient, claims: readonly LiveObject[], classes: StorageClasses): Promise<boolean> {
  const pending = claims.filter((claim) => {
    const spec = claim.spec as ClaimSpec | undefined;
    return claim.status?.phase === 'Pending' && !spec?.volumeName && classes.has(spec?.storageClassName ?? '');
  });
  await Promise.all(pending.map((claim) => createVolumeFor(client, claim, classes)));
  return pending.length > 0;
}

async function createVolumeFor(client: KubeClient, claim: LiveObject, classes: StorageClasses): Promise<void> {
  const spec = claim.spec as ClaimSpec;
  const className = spec.storageClassName!;
  const volume = {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name: `rehearsal-${claim.metadata.uid}` },
    spec: {
      capacity: { storage: spec.resources?.requests?.storage ?? '1Gi' },
      accessModes: spec.accessModes?.length ? spec.accessModes : ['ReadWriteOnce'],
      ...(spec.volumeMode ? { volumeMode: spec.volumeMode } : {}),
      storageClassName: className,
      persistentVolumeReclaimPolicy: 'Delete',
      claimRef: {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        namespace: claim.metadata.namespace,
        name: claim.metadata.name,
        uid: claim.metadata.uid,
      },
      csi: { driver: classes.get(className)!.provisioner, volumeHandle: claim.metadata.uid },
    },
  };
  const answer = await client.request('POST', '/api/v1/persistentvolumes', JSON.stringify(volume), { 'content-type': 'application/json' });
  // 409: created by an earlier read, not bound yet.
  if (answer.status >= 300 && answer.status !== 409)
    throw new Error(
      `creating a volume for the claim ${claim.metadata.namespace}/${claim.metadata.name} failed (${answer.status}): ${answer.text.slice(0, 300)}`,
    );
}
