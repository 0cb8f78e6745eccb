{{- define "previewd.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "previewd.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "previewd.selector" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "previewd.serviceAccountName" -}}
{{- default (include "previewd.fullname" .) .Values.serviceAccount.name -}}
{{- end -}}

{{- define "previewd.secretName" -}}
{{- default (printf "%s-secrets" (include "previewd.fullname" .)) .Values.existingSecret -}}
{{- end -}}

{{- define "previewd.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{- define "previewd.syncClusterRole" -}}
{{- printf "%s-preview-sync" (include "previewd.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}
