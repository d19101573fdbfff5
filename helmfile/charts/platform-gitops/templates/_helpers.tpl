{{- define "platform-gitops.labels" -}}
app.kubernetes.io/name: platform-gitops
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end }}

{{/* manifests/<environment>: the directory holding one directory per release. */}}
{{- define "platform-gitops.environmentPath" -}}
{{- printf "%s/%s" (trimSuffix "/" .Values.git.manifestsDirectory) (required "platform-gitops: environment is required; helmfile/values/platform-gitops.yaml.gotmpl sets it to the helmfile environment name" .Values.environment) }}
{{- end }}

{{/* The waves in rollout order, as strings (label values). */}}
{{- define "platform-gitops.waves" -}}
{{- $waves := list }}
{{- range $name, $release := .Values.releases }}
{{- $waves = append $waves (int $release.wave) }}
{{- end }}
{{- $waves | uniq | sortAlpha | toJson }}
{{- end }}

{{/*
An Argo CD (Go template) expression looking the current directory's release up in a table built
from .Values.releases, falling back to `fallback` (an Argo CD expression) for directories not
listed. Helm writes it; the ApplicationSet controller evaluates it per directory.
*/}}
{{- define "platform-gitops.lookup" -}}
{{- $pairs := list }}
{{- range $name, $release := .root.Values.releases }}
{{- $pairs = append $pairs (printf "%q %q" $name (toString (index $release $.field))) }}
{{- end }}
{{- printf "{{ index (dict %s) .path.basename | default %s }}" (join " " $pairs) .fallback }}
{{- end }}
