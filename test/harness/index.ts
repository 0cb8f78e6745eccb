export { harnessState, type HarnessState } from './state';
export { devServerClient, createTimeSkippingEnv, uniqueId } from './temporal';
export { testKubeConfig, adminKubeHttp } from './kubernetes';
export type { KubeHttp, KubeHttpResponse } from '../../src/dev/kube-http';
export { postgresAdmin } from './postgres';
export type { PostgresConnection } from './state';
export { documentedCommands, SEARCH_ATTRIBUTE_MARKER } from './documented-commands';
