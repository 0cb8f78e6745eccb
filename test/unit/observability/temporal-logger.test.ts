import { ApplicationFailure } from '@temporalio/common';
import { createLogger, pinoFields, TemporalPinoLogger } from '../../../src/observability';

function memory() {
  const chunks: string[] = [];
  const logger = createLogger({ level: 'trace', destination: { write: (chunk: string) => void chunks.push(chunk) } });
  return { logger, lines: () => chunks.map((c) => JSON.parse(c) as Record<string, unknown>) };
}

describe("Temporal's logger interface on pino", () => {
  it('maps every SDK level to the pino level of the same name', () => {
    const { logger, lines } = memory();
    const temporal = new TemporalPinoLogger(logger);
    temporal.trace('t');
    temporal.debug('d');
    temporal.info('i');
    temporal.warn('w');
    temporal.error('e');
    temporal.log('WARN', 'via log');
    expect(lines().map((l) => [l.msg, l.level])).toEqual([
      ['t', 10],
      ['d', 20],
      ['i', 30],
      ['w', 40],
      ['e', 50],
      ['via log', 40],
    ]);
  });

  it("keeps the SDK's attributes as fields, serializes its `error`, and drops symbol keys", () => {
    const { logger, lines } = memory();
    const failure = ApplicationFailure.nonRetryable('namespace is foreign', 'ForeignNamespace');
    new TemporalPinoLogger(logger).warn('Activity failed', { workflowId: 'preview:acme/shop#3', activityType: 'ensureNamespace', attempt: 2, error: failure, [Symbol('ts')]: 1n });
    const line = lines()[0];
    expect(line).toMatchObject({ msg: 'Activity failed', workflowId: 'preview:acme/shop#3', repository: 'acme/shop', pr: 3, activityType: 'ensureNamespace', attempt: 2 });
    expect(line?.err).toMatchObject({ type: 'ApplicationFailure', message: 'namespace is foreign' });
    expect(line).not.toHaveProperty('error');
  });

  it('writes to whichever logger it currently targets', () => {
    const first = memory();
    const second = memory();
    const temporal = new TemporalPinoLogger(first.logger);
    temporal.info('one');
    temporal.target = second.logger;
    temporal.info('two');
    expect(first.lines().map((l) => l.msg)).toEqual(['one']);
    expect(second.lines().map((l) => l.msg)).toEqual(['two']);
  });

  it('passes no metadata as no fields', () => {
    expect(pinoFields(undefined)).toEqual({});
  });
});
