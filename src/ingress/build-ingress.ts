import rateLimit from '@fastify/rate-limit';
import type { Span, Tracer } from '@opentelemetry/api';
import type { Client } from '@temporalio/client';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { durationMs, requireWebhookSecrets, type PreviewdConfig } from '../config';
import { errorCodeOf, httpStatusOf } from '../errors';
import { inServerSpan } from '../observability/server-span';
import { deliveryLabels, setDeliveryLabels } from './delivery-labels';
import { registerHealthRoutes } from './health-routes';
import { createIngressMetrics, type IngressMetrics } from './ingress-metrics';
import { RepositoryAllowlist } from './repository-allowlist';
import { TemporalDispatcher } from './temporal-dispatcher';
import { signatureHeader } from './webhook-delivery';
import { handleWebhook } from './webhook-handler';
import { createSignatureCheck } from './webhook-signature';

export const WEBHOOK_PATH = '/webhooks/github';

export interface IngressDeps {
  readonly config: PreviewdConfig;
  readonly client: Client;
  readonly logger: Logger;
  readonly metrics?: IngressMetrics;
  /** With tracing: each delivery is a span, its log lines carry the trace id and its signal-with-start continues the trace. */
  readonly tracer?: Tracer;
}

/** Event label of a request that failed before its signature was verified: never a caller's value. */
const UNVERIFIED = { event: 'unverified', action: 'none' };

/**
 * The webhook ingress as a Fastify app, not yet listening (`inject()` in tests, `listen()` in
 * processes). Nothing here reads the environment: everything comes from `deps`.
 */
export async function buildIngress(deps: IngressDeps): Promise<FastifyInstance> {
  const { config, client, logger } = deps;
  const metrics = deps.metrics ?? createIngressMetrics();
  const checkSignature = createSignatureCheck(requireWebhookSecrets(config));
  const allowlist = new RepositoryAllowlist(config.repositories);
  const dispatcher = new TemporalDispatcher({ client, taskQueue: config.temporal.taskQueue, timeoutMs: config.temporal.acceptTimeoutMs, metrics });

  // Typed as Fastify's logger so the app keeps Fastify's default type parameters.
  const loggerInstance: FastifyBaseLogger = logger;
  const app = Fastify({ loggerInstance, bodyLimit: config.ingress.bodyLimitBytes, return503OnClosing: true });

  // The signature covers the exact bytes GitHub sent, so the body stays raw text until verified.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: config.ingress.bodyLimitBytes }, (_request, body, done) => done(null, body));

  await app.register(rateLimit, { global: false });
  const repositoryOf = new WeakMap<FastifyRequest, string>();
  const limiter = app.createRateLimit({
    max: config.ingress.rateLimit.max,
    timeWindow: durationMs(config.ingress.rateLimit.window),
    keyGenerator: (request) => `repo:${repositoryOf.get(request) ?? ''}`,
  });

  app.setErrorHandler((err, request, reply) => {
    const status = httpStatusOf(err);
    const code = errorCodeOf(err);
    const labels = deliveryLabels(request) ?? UNVERIFIED;
    setDeliveryLabels(request, { ...labels, result: code });
    if (status >= 500) request.log.error({ err, code }, 'webhook delivery failed');
    else request.log.warn({ code, reason: (err as Error).message }, 'webhook delivery refused');
    // Internal errors keep their details in the log; callers get the code.
    const message = status >= 500 && status !== 503 ? 'internal error' : (err as Error).message;
    return reply.code(status).send({ error: code, message });
  });

  app.addHook('onResponse', (request, reply, done) => {
    if (request.routeOptions.url === WEBHOOK_PATH) {
      const labels = deliveryLabels(request) ?? { ...UNVERIFIED, result: String(reply.statusCode) };
      metrics.deliveries.inc(labels);
      metrics.acceptSeconds.observe({ event: labels.event, result: labels.result }, reply.elapsedTime / 1000);
    }
    done();
  });

  const deliveryAttributes = { 'http.request.method': 'POST', 'http.route': WEBHOOK_PATH };
  app.post(WEBHOOK_PATH, (request, reply) => inServerSpan(deps.tracer, `POST ${WEBHOOK_PATH}`, deliveryAttributes, (span) => accept(request, reply, span), httpStatusOf));

  async function accept(request: FastifyRequest, reply: FastifyReply, span: Span | undefined): Promise<FastifyReply> {
    const raw = typeof request.body === 'string' ? request.body : '';
    const result = await handleWebhook(
      {
        config,
        allowlist,
        checkSignature,
        dispatcher,
        log: request.log,
        allowRepository: async (repository) => {
          repositoryOf.set(request, repository.toLowerCase());
          // `isAllowed` only means "on the allow list"; the verdict is `isExceeded`.
          const verdict = await limiter(request);
          return verdict.isAllowed || !verdict.isExceeded;
        },
      },
      request.headers,
      raw,
      signatureHeader(request.headers),
    ).catch((err: unknown) => {
      // Verified but refused later (400/429/503): the event is known, so label it.
      const event = request.headers['x-github-event'];
      if (typeof event === 'string' && /^[a-z_]{1,64}$/.test(event) && httpStatusOf(err) !== 401) setDeliveryLabels(request, { event, action: 'none', result: '' });
      throw err;
    });
    setDeliveryLabels(request, { event: result.event, action: result.action, result: result.outcome });
    request.log.info({ deliveryId: result.body.deliveryId, event: result.event, action: result.action, result: result.outcome, reason: result.body.reason, workflowId: result.body.workflowId }, 'webhook delivery');
    span?.setAttributes({ 'http.response.status_code': result.status, 'previewd.github.event': result.event, 'previewd.github.delivery_id': result.body.deliveryId });
    return reply.code(result.status).send(result.body);
  }

  registerHealthRoutes(app, { ready: () => dispatcher.ready(), metrics });
  return app;
}
