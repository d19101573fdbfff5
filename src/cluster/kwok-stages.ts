/**
 * The lifecycle KWOK plays for the pods of its nodes (its Stage API, sigs.k8s.io/kwok), written for
 * what the rehearsal needs and no more: a scheduled pod starts at once and is Ready (probes are the
 * node level's business, not this one's), a Job's pod then succeeds, and a pod being deleted goes,
 * as a kubelet confirms it. A node is registered Ready (the node lifecycle controller that would
 * age it is not run); its one stage makes KWOK take it on, as it plays only the pods of nodes it has.
 */
export const KWOK_STAGES = `apiVersion: kwok.x-k8s.io/v1alpha1
kind: Stage
metadata:
  name: rehearsal-node-running
spec:
  resourceRef: { apiGroup: v1, kind: Node }
  selector:
    matchExpressions:
      - key: .status.phase
        operator: NotIn
        values: [Running]
  next:
    statusTemplate: |
      phase: Running
---
apiVersion: kwok.x-k8s.io/v1alpha1
kind: Stage
metadata:
  name: rehearsal-pod-running
spec:
  resourceRef: { apiGroup: v1, kind: Pod }
  selector:
    matchExpressions:
      - key: .metadata.deletionTimestamp
        operator: DoesNotExist
      - key: .status.phase
        operator: In
        values: [Pending]
  next:
    statusTemplate: |
      {{ $now := Now }}
      phase: Running
      startTime: {{ $now | Quote }}
      conditions:
        - { type: Initialized, status: "True", lastTransitionTime: {{ $now | Quote }} }
        - { type: ContainersReady, status: "True", lastTransitionTime: {{ $now | Quote }} }
        - { type: Ready, status: "True", lastTransitionTime: {{ $now | Quote }} }
      containerStatuses:
      {{ range .spec.containers }}
        - { name: {{ .name | Quote }}, image: {{ .image | Quote }}, ready: true, started: true, restartCount: 0, state: { running: { startedAt: {{ $now | Quote }} } } }
      {{ end }}
      {{ with PodIPsWith .spec.nodeName ( or .spec.hostNetwork false ) ( or .metadata.uid "" ) ( or .metadata.name "" ) ( or .metadata.namespace "" ) }}
      podIP: {{ index . 0 | Quote }}
      {{ end }}
---
apiVersion: kwok.x-k8s.io/v1alpha1
kind: Stage
metadata:
  name: rehearsal-job-pod-succeeded
spec:
  resourceRef: { apiGroup: v1, kind: Pod }
  selector:
    matchExpressions:
      - key: .metadata.deletionTimestamp
        operator: DoesNotExist
      - key: .status.phase
        operator: In
        values: [Running]
      - key: '.metadata.ownerReferences.[].kind'
        operator: In
        values: [Job]
  next:
    statusTemplate: |
      {{ $now := Now }}
      phase: Succeeded
      conditions:
        - { type: Ready, status: "False", reason: PodCompleted, lastTransitionTime: {{ $now | Quote }} }
        - { type: ContainersReady, status: "False", reason: PodCompleted, lastTransitionTime: {{ $now | Quote }} }
      containerStatuses:
      {{ range .spec.containers }}
        - { name: {{ .name | Quote }}, image: {{ .image | Quote }}, ready: false, started: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: Completed, finishedAt: {{ $now | Quote }} } } }
      {{ end }}
---
apiVersion: kwok.x-k8s.io/v1alpha1
kind: Stage
metadata:
  name: rehearsal-pod-gone
spec:
  resourceRef: { apiGroup: v1, kind: Pod }
  selector:
    matchExpressions:
      - key: .metadata.deletionTimestamp
        operator: Exists
  next:
    delete: true
`;
