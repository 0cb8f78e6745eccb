export { harnessState, type HarnessState } from './state';
export { devServerClient, createTimeSkippingEnv, uniqueId } from './temporal';
export { testKubeConfig } from './kubernetes';
