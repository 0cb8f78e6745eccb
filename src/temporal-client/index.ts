export { clientConnectionOptions, guardedInterceptors } from './client-connection-options';
