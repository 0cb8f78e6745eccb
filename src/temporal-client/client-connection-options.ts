import { InterceptingCall, Metadata, status, type Interceptor } from '@grpc/grpc-js';
import { defaultGrpcRetryOptions, makeGrpcRetryInterceptor, type ConnectionOptions } from '@temporalio/client';
import { temporalConnectionOptions, type TemporalConfig } from '../config';

// The options every previewd process (ingress, CLI, the worker's janitor client) and the tests
// connect a Temporal *client* with: the configured address, TLS and key, and the SDK's own gRPC
// retry, plus one guard.
//
// Why the guard: the SDK's retry interceptor waits between attempts with a plain setTimeout that
// `Connection.close()` does not clear. A call in that wait when the connection closes (an
// ingress stopping during a Temporal outage, a CLI exiting while a retry is pending) makes the
// retry create a call on the shut channel; grpc-js throws "Channel has been shut down" from the
// timer, an uncaught exception that kills the process, and the caller's promise never settles.
// Reproduced with the SDK as pinned (test/integration/temporal/closed-connection.test.ts).
// Placed after the retry interceptor, the guard turns that throw into the call ending CANCELLED,
// which the retry does not retry, so the caller gets an error like any other.

const CLOSED = 'Channel has been shut down';

// A call that never reaches a channel: the guard's requester answers for it before anything is sent.
const UNSENT: ConstructorParameters<typeof InterceptingCall>[0] = {
  cancelWithStatus: () => undefined,
  getPeer: () => '',
  start: () => undefined,
  sendMessageWithContext: () => undefined,
  sendMessage: () => undefined,
  startRead: () => undefined,
  halfClose: () => undefined,
  getAuthContext: () => null,
};

function endedByClose(): InterceptingCall {
  return new InterceptingCall(UNSENT, {
    start: (_metadata, listener) => {
      setImmediate(() => listener.onReceiveStatus({ code: status.CANCELLED, details: 'the Temporal connection was closed while this call waited to be retried', metadata: new Metadata() }));
    },
    sendMessage: () => undefined,
    halfClose: () => undefined,
  });
}

const closedConnectionGuard: Interceptor = (options, nextCall) => {
  try {
    return new InterceptingCall(nextCall(options));
  } catch (err) {
    if (err instanceof Error && err.message === CLOSED) return endedByClose();
    throw err;
  }
};

/** The SDK's retry, then the closed-connection guard; for connections made from an address alone (tests, probes). */
function guardedInterceptors(): Interceptor[] {
  return [makeGrpcRetryInterceptor(defaultGrpcRetryOptions()), closedConnectionGuard];
}

/** Client connection options from the config, with the guarded interceptors. */
function clientConnectionOptions(temporal: TemporalConfig): ConnectionOptions {
  return { ...temporalConnectionOptions(temporal), interceptors: guardedInterceptors() };
}

export { clientConnectionOptions, guardedInterceptors };
