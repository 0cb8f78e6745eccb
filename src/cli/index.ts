export { runCli } from './run-cli';
export { CliError, EXIT, type CliIo } from './cli-io';
export { CliContext, type GlobalOptions } from './cli-context';
export { listQuery, type ListedPreview } from './commands/list';
export { simulatedDelivery, type SimulateRequest, type SimulatedDelivery } from './simulated-delivery';
export { formatStatus } from './format-status';
