// What the fault-injection suites (test/chaos) share: scenarios, the worker as its own process,
// faults through a proxy and the lifecycle driver.
export { seededRandom, scenarioRandom, type SeededRandom } from './seeded-random';
export { writeWorkerConfig, type WorkerExit, WorkerProcess } from './worker-process';
export { type ApplicationIncarnation, type WatchTarget, ApplicationWatch } from './application-watch';
export { type FaultKind, FAULT_KINDS, type FaultProxyOptions, type FaultCounts, FaultProxy } from './fault-proxy';
export { chaosClusterConfig, chaosRepository, ARGOCD_NAMESPACE, type ChaosRepository } from './chaos-cluster';
export { delay, sha, TimedOutError, PreviewDriver } from './preview-driver';
export { runLifecycle, lifecycleViolations, spread, lifecycleFigures, printFigures, type LifecyclePlan, type LifecycleResult, type LifecycleContext, type Spread } from './lifecycle';
export { openScenario, type ChaosScenario, type ScenarioOptions } from './chaos-scenario';
