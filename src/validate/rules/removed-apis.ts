/**
 * API versions Kubernetes stopped serving, with the version to move to. Source: the Kubernetes
 * Deprecated API Migration Guide, https://kubernetes.io/docs/reference/using-api/deprecation-guide/
 * (removals in 1.16, 1.22, 1.25, 1.26, 1.27, 1.29 and 1.32). Whether an API version is served is
 * decided by the target version's OpenAPI documents; this table only names the replacement.
 */
export interface RemovedApi {
  /** `policy/v1beta1` */
  apiVersion: string;
  /** Kinds the row covers; absent: every kind of the API version. */
  kinds?: readonly string[];
  /** The apiVersion to use instead; undefined when the kind has no replacement. */
  replacement?: string;
  removedIn: string;
  /** Said instead of a replacement (e.g. PodSecurityPolicy). */
  fix?: string;
}

/** Both API versions of PodSecurityPolicy: the kind itself is gone since 1.25. */
const NO_POD_SECURITY_POLICY = 'PodSecurityPolicy was removed in 1.25 without a replacement API; use Pod Security Admission';

export const REMOVED_APIS: readonly RemovedApi[] = [
  { apiVersion: 'extensions/v1beta1', kinds: ['Deployment', 'DaemonSet', 'ReplicaSet'], replacement: 'apps/v1', removedIn: '1.16' },
  { apiVersion: 'extensions/v1beta1', kinds: ['NetworkPolicy'], replacement: 'networking.k8s.io/v1', removedIn: '1.16' },
  { apiVersion: 'extensions/v1beta1', kinds: ['Ingress'], replacement: 'networking.k8s.io/v1', removedIn: '1.22' },
  { apiVersion: 'extensions/v1beta1', kinds: ['PodSecurityPolicy'], removedIn: '1.16', fix: NO_POD_SECURITY_POLICY },
  { apiVersion: 'apps/v1beta1', replacement: 'apps/v1', removedIn: '1.16' },
  { apiVersion: 'apps/v1beta2', replacement: 'apps/v1', removedIn: '1.16' },
  { apiVersion: 'admissionregistration.k8s.io/v1beta1', replacement: 'admissionregistration.k8s.io/v1', removedIn: '1.22' },
  { apiVersion: 'apiextensions.k8s.io/v1beta1', replacement: 'apiextensions.k8s.io/v1', removedIn: '1.22' },
  { apiVersion: 'apiregistration.k8s.io/v1beta1', replacement: 'apiregistration.k8s.io/v1', removedIn: '1.22' },
  { apiVersion: 'authentication.k8s.io/v1beta1', replacement: 'authentication.k8s.io/v1', removedIn: '1.22' },
  { apiVersion: 'authorization.k8s.io/v1beta1', replacement: 'authorization.k8s.io/v1', removedIn: '1.22' },
  {
    apiVersion: 'certificates.k8s.io/v1beta1',
    kinds: ['CertificateSigningRequest'],
    replacement: 'certificates.k8s.io/v1',
    removedIn: '1.22',
  },
  { apiVersion: 'coordination.k8s.io/v1beta1', kinds: ['Lease'], replacement: 'coordination.k8s.io/v1', removedIn: '1.22' },
  { apiVersion: 'networking.k8s.io/v1beta1', kinds: ['Ingress', 'IngressClass'], replacement: 'networking.k8s.io/v1', removedIn: '1.22' },
  { apiVersion: 'rbac.authorization.k8s.io/v1beta1', replacement: 'rbac.authorization.k8s.io/v1', removedIn: '1.22' },
  { apiVersion: 'scheduling.k8s.io/v1beta1', replacement: 'scheduling.k8s.io/v1', removedIn: '1.22' },
  {
    apiVersion: 'storage.k8s.io/v1beta1',
    kinds: ['CSIDriver', 'CSINode', 'StorageClass', 'VolumeAttachment'],
    replacement: 'storage.k8s.io/v1',
    removedIn: '1.22',
  },
  { apiVersion: 'batch/v1beta1', kinds: ['CronJob'], replacement: 'batch/v1', removedIn: '1.25' },
  { apiVersion: 'discovery.k8s.io/v1beta1', kinds: ['EndpointSlice'], replacement: 'discovery.k8s.io/v1', removedIn: '1.25' },
  { apiVersion: 'events.k8s.io/v1beta1', kinds: ['Event'], replacement: 'events.k8s.io/v1', removedIn: '1.25' },
  { apiVersion: 'autoscaling/v2beta1', kinds: ['HorizontalPodAutoscaler'], replacement: 'autoscaling/v2', removedIn: '1.25' },
  { apiVersion: 'policy/v1beta1', kinds: ['PodDisruptionBudget'], replacement: 'policy/v1', removedIn: '1.25' },
  { apiVersion: 'policy/v1beta1', kinds: ['PodSecurityPolicy'], removedIn: '1.25', fix: NO_POD_SECURITY_POLICY },
  { apiVersion: 'node.k8s.io/v1beta1', kinds: ['RuntimeClass'], replacement: 'node.k8s.io/v1', removedIn: '1.25' },
  { apiVersion: 'autoscaling/v2beta2', kinds: ['HorizontalPodAutoscaler'], replacement: 'autoscaling/v2', removedIn: '1.26' },
  { apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta1', replacement: 'flowcontrol.apiserver.k8s.io/v1', removedIn: '1.26' },
  { apiVersion: 'storage.k8s.io/v1beta1', kinds: ['CSIStorageCapacity'], replacement: 'storage.k8s.io/v1', removedIn: '1.27' },
  { apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta2', replacement: 'flowcontrol.apiserver.k8s.io/v1', removedIn: '1.29' },
  { apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta3', replacement: 'flowcontrol.apiserver.k8s.io/v1', removedIn: '1.32' },
];

export function removedApi(apiVersion: string, kind: string): RemovedApi | undefined {
  return REMOVED_APIS.find((row) => row.apiVersion === apiVersion && (!row.kinds || row.kinds.includes(kind)));
}
