import { AiAnswerError, answerJsonSchema, parseAiAnswer } from '../../../src/ai';

const names = ['api', 'www', 'worker'];

describe('parseAiAnswer', () => {
  it('keeps catalogue names, drops (and records) made-up ones, removes duplicates', () => {
    const answer = parseAiAnswer(JSON.stringify({ services: ['www', 'payments', 'www', ' api '], rationale: 'shared money code' }), names);
    expect(answer).toEqual({ services: ['www', 'api'], dropped: ['payments'], rationale: 'shared money code' });
  });

  it('refuses text that is not JSON, or JSON of another shape', () => {
    expect(() => parseAiAnswer('www, api', names)).toThrow(new AiAnswerError('the model did not return JSON'));
    expect(() => parseAiAnswer(JSON.stringify({ services: 'www' }), names)).toThrow(/does not match the schema \(services: /);
    expect(() => parseAiAnswer('', names)).toThrow('the model returned no content');
  });

  it('bounds the rationale kept in history', () => {
    expect(parseAiAnswer(JSON.stringify({ services: [], rationale: 'x'.repeat(2_000) }), names).rationale).toHaveLength(500);
  });
});

describe('answerJsonSchema', () => {
  it('is a strict-mode schema whose names can only come from the catalogue', () => {
    expect(answerJsonSchema(names)).toEqual({
      type: 'object',
      additionalProperties: false,
      required: ['services', 'rationale'],
      properties: {
        services: { type: 'array', items: { type: 'string', enum: names }, description: expect.any(String) },
        rationale: { type: 'string', description: expect.any(String) },
      },
    });
  });
});
