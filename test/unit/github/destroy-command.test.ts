import fc from 'fast-check';
import { newestDestroyCommand, type ListedComment } from '../../../src/github';

const SEED = Number(process.env.PREVIEWD_FC_SEED ?? Date.now() % 2 ** 31);

const comment = (body: string, at: string, association = 'MEMBER', login = 'someone'): ListedComment => ({ body, created_at: at, author_association: association, user: { login } });

describe('newestDestroyCommand (a destroy read from the PR comments)', () => {
  const since = '2026-11-23T10:00:00Z';
  beforeAll(() => console.info(`fast-check seed ${SEED} (repeat with PREVIEWD_FC_SEED=${SEED})`));

  it('takes the newest /preview destroy by a member written at or after `since`', () => {
    const found = newestDestroyCommand(
      [comment('/preview destroy', '2026-11-23T10:00:00Z', 'OWNER', 'first'), comment('/preview destroy', '2026-11-23T10:05:00Z', 'COLLABORATOR', 'second'), comment('/preview extend 4h', '2026-11-23T10:06:00Z')],
      since,
    );
    expect(found).toEqual({ at: '2026-11-23T10:05:00Z', by: 'second' });
  });

  it.each([
    ['written before the creating event', comment('/preview destroy', '2026-11-23T09:59:59Z')],
    ['by someone who does not belong to the repository', comment('/preview destroy', '2026-11-23T10:01:00Z', 'CONTRIBUTOR')],
    ['a comment that only mentions the command', comment('we should /preview destroy later', '2026-11-23T10:01:00Z')],
    ['another command', comment('/preview redeploy', '2026-11-23T10:01:00Z')],
    ['an empty body', { ...comment('', '2026-11-23T10:01:00Z'), body: null }],
  ])('ignores a comment %s', (_what, c) => {
    expect(newestDestroyCommand([c], since)).toBeUndefined();
  });

  it('a deleted author reads as ghost', () => {
    expect(newestDestroyCommand([{ ...comment('/preview destroy', since), user: null }], since)).toEqual({ at: since, by: 'ghost' });
  });

  it('the answer never depends on the order GitHub lists the comments in, and is never older than `since`', () => {
    const at = fc.integer({ min: 0, max: 3600 }).map((s) => new Date(Date.parse(since) - 1800_000 + s * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'));
    const anyComment = fc.record({
      body: fc.constantFrom('/preview destroy', '/preview extend 1h', 'looks good', '/preview destroy\nbye'),
      created_at: at,
      author_association: fc.constantFrom('OWNER', 'MEMBER', 'COLLABORATOR', 'CONTRIBUTOR', 'NONE'),
      user: fc.record({ login: fc.constantFrom('a', 'b', 'c') }),
    });
    fc.assert(
      fc.property(fc.array(anyComment, { maxLength: 12 }), (comments) => {
        const found = newestDestroyCommand(comments, since);
        const reversed = newestDestroyCommand([...comments].reverse(), since);
        expect(found?.at).toEqual(reversed?.at);
        if (found) expect(Date.parse(found.at)).toBeGreaterThanOrEqual(Date.parse(since));
      }),
      { seed: SEED, numRuns: 500 },
    );
  });
});
