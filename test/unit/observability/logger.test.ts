import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { createLogger, createTracing, REDACTED } from '../../../src/observability';

function memoryLogger(level = 'debug') {
  const chunks: string[] = [];
  const logger = createLogger({ level, destination: { write: (chunk: string) => void chunks.push(chunk) } });
  return { logger, lines: () => chunks.map((c) => JSON.parse(c) as Record<string, unknown>), text: () => chunks.join('') };
}

const SECRET = 'ghp_neverInLogs000000000000000000000000';

describe('previewd logger', () => {
  it('writes JSON lines with the PR of the workflow a line is about', () => {
    const { logger, lines } = memoryLogger();
    logger.info({ workflowId: 'preview:acme/shop#12', activityType: 'deployApps' }, 'Activity started');
    expect(lines()[0]).toMatchObject({ msg: 'Activity started', workflowId: 'preview:acme/shop#12', repository: 'acme/shop', pr: 12, activityType: 'deployApps', level: 30 });
  });

  it('keeps the spelling of a repository the line names itself', () => {
    const { logger, lines } = memoryLogger();
    logger.warn({ workflowId: 'preview:acme/shop#12', repository: 'Acme/Shop', pr: 12 }, 'service choice');
    expect(lines()[0]).toMatchObject({ repository: 'Acme/Shop', pr: 12 });
  });

  it('censors secrets at the top level, one level down, in config and in HTTP client errors', () => {
    const { logger, text, lines } = memoryLogger();
    logger.info({ token: SECRET, apiKey: SECRET, privateKey: SECRET, taskToken: SECRET }, 'top level');
    logger.info({ auth: { type: 'token', token: SECRET }, ai: { apiKey: SECRET }, headers: { authorization: `Bearer ${SECRET}` } }, 'nested');
    logger.info({ config: { github: { webhookSecrets: [SECRET], auth: { privateKey: SECRET } }, temporal: { apiKey: SECRET } } }, 'config');
    const err = Object.assign(new Error('Bad credentials'), { status: 401, request: { method: 'GET', url: 'https://api.github.test/user', headers: { authorization: `token ${SECRET}` } } });
    logger.error({ err }, 'GitHub call failed');
    expect(text()).not.toContain(SECRET);
    const [top, nested, config, failed] = lines();
    expect(top).toMatchObject({ token: REDACTED, apiKey: REDACTED, privateKey: REDACTED, taskToken: REDACTED });
    expect(nested).toMatchObject({ auth: { type: 'token', token: REDACTED }, headers: { authorization: REDACTED } });
    expect(config).toMatchObject({ config: { temporal: { apiKey: REDACTED } } });
    // The error itself is still useful: message, status and where the call went.
    expect(failed).toMatchObject({ err: { message: 'Bad credentials', status: 401, request: { url: 'https://api.github.test/user', headers: { authorization: REDACTED } } } });
  });

  it('names the active span and its trace on lines written inside it, and nothing outside a span', async () => {
    const { logger, lines } = memoryLogger();
    const exporter = new InMemorySpanExporter();
    const tracing = createTracing({ spanProcessor: new SimpleSpanProcessor(exporter), attributes: { 'service.name': 'previewd-test' } });
    logger.info('before');
    await tracing.tracer.startActiveSpan('delivery', async (span) => {
      // Across an await, as a request handler or an activity would log.
      await new Promise((r) => setTimeout(r, 1));
      logger.info({ workflowId: 'preview:acme/shop#12' }, 'inside');
      span.end();
    });
    logger.info('after');
    const [finished] = exporter.getFinishedSpans();
    const [before, inside, after] = lines();
    expect(inside).toMatchObject({ msg: 'inside', trace_id: finished?.spanContext().traceId, span_id: finished?.spanContext().spanId, trace_flags: '01', repository: 'acme/shop', pr: 12 });
    expect(inside?.trace_id).toMatch(/^[0-9a-f]{32}$/);
    expect(before).not.toHaveProperty('trace_id');
    expect(after).not.toHaveProperty('trace_id');
    await tracing.shutdown();
  });
});
