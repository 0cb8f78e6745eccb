import { createHmac } from 'node:crypto';
import { createSignatureCheck } from '../../../src/ingress';

const body = JSON.stringify({ action: 'opened', number: 1 });
const signature = (secret: string, text = body) => `sha256=${createHmac('sha256', secret).update(text).digest('hex')}`;

describe('createSignatureCheck', () => {
  const check = createSignatureCheck(['new-secret-1', 'old-secret-2']);

  test('accepts GitHub’s signature made with any configured secret (rotation)', async () => {
    await expect(check(body, signature('new-secret-1'))).resolves.toBe(true);
    await expect(check(body, signature('old-secret-2'))).resolves.toBe(true);
  });

  test.each([
    ['missing', undefined],
    ['empty', ''],
    ['another secret', signature('guess')],
    ['another body', signature('new-secret-1', `${body} `)],
    ['sha1 scheme', signature('new-secret-1').replace('sha256', 'sha1')],
    ['upper-case hex', signature('new-secret-1').toUpperCase()],
    ['truncated', signature('new-secret-1').slice(0, 40)],
  ])('refuses %s', async (_name, sig) => {
    await expect(check(body, sig)).resolves.toBe(false);
  });

  test('an empty body never matches', async () => {
    await expect(check('', signature('new-secret-1', ''))).resolves.toBe(false);
  });

  test('at least one secret is required', () => {
    expect(() => createSignatureCheck([])).toThrow('at least one webhook secret');
  });
});
