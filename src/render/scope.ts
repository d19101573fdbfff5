/**
 * Built-in Kubernetes kinds that are cluster-scoped, by API group. Every other built-in kind is
 * namespaced. Source: `kubectl api-resources --namespaced=false` on Kubernetes 1.35.
 */
const CLUSTER_SCOPED_BUILTINS: Record<string, readonly string[]> = {
  '': ['ComponentStatus', 'Namespace', 'Node', 'PersistentVolume'],
  'admissionregistration.k8s.io': [
    'MutatingAdmissionPolicy',
    'MutatingAdmissionPolicyBinding',
    'MutatingWebhookConfiguration',
    'ValidatingAdmissionPolicy',
    'ValidatingAdmissionPolicyBinding',
    'ValidatingWebhookConfiguration',
  ],
  'apiextensions.k8s.io': ['CustomResourceDefinition'],
  'apiregistration.k8s.io': ['APIService'],
  'authentication.k8s.io': ['SelfSubjectReview', 'TokenReview'],
  'authorization.k8s.io': ['SelfSubjectAccessReview', 'SelfSubjectRulesReview', 'SubjectAccessReview'],
  'certificates.k8s.io': ['CertificateSigningRequest', 'ClusterTrustBundle'],
  'flowcontrol.apiserver.k8s.io': ['FlowSchema', 'PriorityLevelConfiguration'],
  'internal.apiserver.k8s.io': ['StorageVersion'],
  'networking.k8s.io': ['IngressClass', 'IPAddress', 'ServiceCIDR'],
  'node.k8s.io': ['RuntimeClass'],
  'rbac.authorization.k8s.io': ['ClusterRole', 'ClusterRoleBinding'],
  'resource.k8s.io': ['DeviceClass', 'ResourceSlice'],
  'scheduling.k8s.io': ['PriorityClass'],
  'storage.k8s.io': ['CSIDriver', 'CSINode', 'StorageClass', 'VolumeAttachment', 'VolumeAttributesClass'],
  'storagemigration.k8s.io': ['StorageVersionMigration'],
};

/** Decides whether a group/kind is namespaced: built-ins, CRDs seen in the render, then the user's list. */
export class ScopeCatalog {
  private readonly clusterScoped = new Set<string>();
  private readonly namespaced = new Set<string>();

  constructor(extraClusterScoped: readonly string[] = []) {
    for (const [group, kinds] of Object.entries(CLUSTER_SCOPED_BUILTINS)) {
      for (const kind of kinds) this.clusterScoped.add(scopeId(group, kind));
    }
    // Entries are `Kind` or `Kind.group`, as kubectl prints them.
    for (const entry of extraClusterScoped) {
      const dot = entry.indexOf('.');
      this.clusterScoped.add(dot === -1 ? scopeId('', entry) : scopeId(entry.slice(dot + 1), entry.slice(0, dot)));
    }
  }

  /** Records the scope a CustomResourceDefinition declares for its kind. */
  addCustomResourceDefinition(group: string, kind: string, scope: string): void {
    const id = scopeId(group, kind);
    if (scope === 'Cluster') {
      this.clusterScoped.add(id);
      this.namespaced.delete(id);
    } else {
      this.namespaced.add(id);
      this.clusterScoped.delete(id);
    }
  }

  /** Unknown kinds are treated as namespaced, as `kubectl apply` does with a default namespace. */
  isNamespaced(group: string, kind: string): boolean {
    return !this.clusterScoped.has(scopeId(group, kind));
  }
}

function scopeId(group: string, kind: string): string {
  return `${group}|${kind}`;
}
