import { SpanKind, SpanStatusCode, type Attributes, type Span, type Tracer } from '@opentelemetry/api';

// A span around the handling of one incoming request, active while it runs: the log lines the
// handler writes carry its trace id, and the Temporal client call it makes (signal-with-start)
// becomes its child, so a webhook delivery, its log lines and the workflow it starts are one
// trace. A `traceparent` sent by the caller is not followed: webhook callers are outside
// previewd's trust boundary and must not pick the trace a delivery joins.

/** Runs `handle` inside a SERVER span (or just runs it without a tracer); `statusOf` maps a failure to its HTTP status. */
export async function inServerSpan<T>(
  tracer: Tracer | undefined,
  name: string,
  attributes: Attributes,
  handle: (span: Span | undefined) => Promise<T>,
  statusOf: (err: unknown) => number,
): Promise<T> {
  if (!tracer) return handle(undefined);
  return tracer.startActiveSpan(name, { kind: SpanKind.SERVER, attributes }, async (span) => {
    try {
      return await handle(span);
    } catch (err) {
      const status = statusOf(err);
      span.setAttribute('http.response.status_code', status);
      // As the HTTP semantic conventions say: a server span is an error for a 5xx only.
      if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
      throw err;
    } finally {
      span.end();
    }
  });
}
