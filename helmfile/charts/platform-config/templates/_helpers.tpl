{{/* Labels every resource of this chart carries. */}}
{{- define "platform-config.labels" -}}
app.kubernetes.io/name: platform-config
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end }}

{{/*
Annotations of custom resources whose CRD another release installs: Argo CD would otherwise fail
the whole sync's dry run while that CRD is still missing (first sync of a new cluster).
*/}}
{{- define "platform-config.customResourceAnnotations" -}}
argocd.argoproj.io/sync-options: SkipDryRunOnMissingResource=true
{{- end }}
