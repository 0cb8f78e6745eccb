{{/* One Deployment shape for both components; they differ in entry point, port and probes. */}}
{{- define "previewd.deployment" -}}
{{- $root := .root -}}
{{- $v := .values -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "previewd.fullname" $root }}-{{ .component }}{{ with .nameSuffix }}-{{ . }}{{ end }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "previewd.labels" $root | nindent 4 }}
    app.kubernetes.io/component: {{ .component }}
spec:
  replicas: {{ $v.replicas }}
  selector:
    matchLabels:
      {{- include "previewd.selector" (dict "root" $root "component" .component) | nindent 6 }}
      {{- with .nameSuffix }}
      previewd.dev/build: {{ . }}
      {{- end }}
  template:
    metadata:
      labels:
        {{- include "previewd.selector" (dict "root" $root "component" .component) | nindent 8 }}
        {{- with .nameSuffix }}
        previewd.dev/build: {{ . }}
        {{- end }}
      annotations:
        checksum/config: {{ include (print $root.Template.BasePath "/configmap.yaml") $root | sha256sum }}
    spec:
      {{- with $v.terminationGracePeriodSeconds }}
      terminationGracePeriodSeconds: {{ . }}
      {{- end }}
      serviceAccountName: {{ include "previewd.serviceAccountName" $root }}
      automountServiceAccountToken: true
      securityContext:
        {{- toYaml $root.Values.podSecurityContext | nindent 8 }}
      {{- with $root.Values.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      containers:
        - name: {{ .component }}
          image: {{ .image | default (include "previewd.image" $root) }}
          imagePullPolicy: {{ $root.Values.image.pullPolicy }}
          args: [{{ .entrypoint | quote }}]
          env:
            - name: PREVIEWD_CONFIG
              value: /etc/previewd/config.yaml
            {{- if hasPrefix "worker" .component }}
            {{- with .versioning }}
            - name: PREVIEWD_WORKER_DEPLOYMENT_NAME
              value: {{ .name | quote }}
            - name: PREVIEWD_WORKER_BUILD_ID
              value: {{ .buildId | quote }}
            - name: PREVIEWD_WORKER_DEPLOYMENT_SET_CURRENT
              value: {{ .setCurrent | toString | quote }}
            {{- end }}
            {{- with $v.tuning }}
            {{- range $key, $var := dict "maxCachedWorkflows" "PREVIEWD_WORKER_MAX_CACHED_WORKFLOWS" "activitySlots" "PREVIEWD_WORKER_ACTIVITY_SLOTS" "workflowTaskSlots" "PREVIEWD_WORKER_WORKFLOW_TASK_SLOTS" "shutdownGraceTime" "PREVIEWD_WORKER_SHUTDOWN_GRACE_TIME" }}
            {{- if hasKey $.values.tuning $key }}
            - name: {{ $var }}
              value: {{ index $.values.tuning $key | toString | quote }}
            {{- end }}
            {{- end }}
            {{- end }}
            {{- if hasKey $v "clusterWatch" }}
            - name: PREVIEWD_WORKER_CLUSTER_WATCH
              value: {{ $v.clusterWatch | toString | quote }}
            {{- end }}
            {{- if hasKey $v "coreMetricsPort" }}
            - name: PREVIEWD_WORKER_CORE_METRICS_PORT
              value: {{ $v.coreMetricsPort | toString | quote }}
            {{- end }}
            {{- if hasKey $v "registerSearchAttributes" }}
            - name: PREVIEWD_TEMPORAL_REGISTER_SEARCH_ATTRIBUTES
              value: {{ $v.registerSearchAttributes | toString | quote }}
            {{- end }}
            {{- end }}
            {{- range $key, $var := dict "webhookSecret" "PREVIEWD_GITHUB_WEBHOOK_SECRET" "webhookSecretPrevious" "PREVIEWD_GITHUB_WEBHOOK_SECRET_PREVIOUS" "githubToken" "PREVIEWD_GITHUB_TOKEN" "githubAppPrivateKey" "PREVIEWD_GITHUB_APP_PRIVATE_KEY" "openaiApiKey" "PREVIEWD_AI_API_KEY" "temporalApiKey" "PREVIEWD_TEMPORAL_API_KEY" "databaseAdminPassword" "PREVIEWD_DATABASES_ADMIN_PASSWORD" }}
            - name: {{ $var }}
              valueFrom:
                secretKeyRef: { name: {{ include "previewd.secretName" $root }}, key: {{ $key }}, optional: true }
            {{- end }}
            {{- with $root.Values.extraEnv }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
          ports:
            - name: http
              containerPort: {{ .port }}
          readinessProbe:
            httpGet: { path: /readyz, port: http }
            periodSeconds: 10
          livenessProbe:
            httpGet: { path: /healthz, port: http }
            periodSeconds: 20
            failureThreshold: 3
          resources:
            {{- toYaml $v.resources | nindent 12 }}
          securityContext:
            {{- toYaml $root.Values.securityContext | nindent 12 }}
          volumeMounts:
            - { name: config, mountPath: /etc/previewd, readOnly: true }
            - { name: tmp, mountPath: /tmp }
      volumes:
        - name: config
          configMap: { name: {{ include "previewd.fullname" $root }}-config }
        - name: tmp
          emptyDir: {}
      {{- with $v.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $v.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $v.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
{{- end -}}
