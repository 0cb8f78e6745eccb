import { redactApiKey } from '../../../src/ai';

describe('redactApiKey', () => {
  it('removes the key and masked OpenAI-style keys', () => {
    expect(redactApiKey('bad key s3cr3t-key-value', 's3cr3t-key-value')).toBe('bad key [redacted]');
    expect(redactApiKey('Incorrect API key provided: sk-abc***wxyz. You can', undefined)).toBe('Incorrect API key provided: [redacted]. You can');
  });
});
