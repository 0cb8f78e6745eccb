import { SearchAttributesMissingError } from '../../../src/errors';
import { checkSearchAttributes, cliTypeName, createCommand, missingAttributesMessage, searchAttributeProblems, type OperatorApi } from '../../../src/worker/search-attributes';
import { PREVIEW_SEARCH_ATTRIBUTES } from '../../../workflows/contract';
import { documentedCommands, SEARCH_ATTRIBUTE_MARKER } from '../../harness/documented-commands';

// The worker's start check over a stand-in for the operator API, and the documented commands
// against the contract, so neither drifts from what the workflows upsert. The stand-in exists
// for what the dev server cannot do: refuse the operator API (PERMISSION_DENIED,
// UNIMPLEMENTED, as Temporal Cloud does for namespace credentials) and count the calls. The
// check against a real server is test/integration/worker/search-attributes.test.ts.

const documented = (file: string): string[] => documentedCommands(file, SEARCH_ATTRIBUTE_MARKER);

// The server's IndexedValueType values: KEYWORD 2, INT 3, DATETIME 6.
const ALL: Record<string, number> = { PreviewRepository: 2, PreviewPullRequest: 3, PreviewPhase: 2, PreviewHeadSha: 2, PreviewExpiresAt: 6 };

function operator(custom: Record<string, number>, denied?: { list?: number; add?: number }): OperatorApi & { added: Record<string, number>[] } {
  const added: Record<string, number>[] = [];
  const refuse = (code: number) => Promise.reject(Object.assign(new Error(`${code}: Request unauthorized.`), { code, details: 'Request unauthorized.', metadata: {} }));
  return {
    added,
    listSearchAttributes: () => (denied?.list ? refuse(denied.list) : Promise.resolve({ customAttributes: { ...custom } })),
    addSearchAttributes: ({ searchAttributes }) => {
      if (denied?.add) return refuse(denied.add);
      added.push(searchAttributes);
      Object.assign(custom, searchAttributes);
      return Promise.resolve({});
    },
  };
}

describe('the documented registration commands', () => {
  const readme = documented('README.md');

  it('create each of the contract\'s attributes with its type, one --name/--type pair per command, then list them', () => {
    const creates = readme.filter((c) => c.includes(' create '));
    expect(creates).toEqual(PREVIEW_SEARCH_ATTRIBUTES.map((key) => createCommand('previews', key.name, cliTypeName(key.type))));
    for (const command of creates) expect(command.match(/--name /g)).toHaveLength(1);
    expect(readme.at(-1)).toBe('temporal operator search-attribute list --namespace previews');
  });

  it('are the same in docs/config.md', () => {
    expect(documented('docs/config.md')).toEqual(readme);
  });

  it('are what the worker prints when every attribute is missing', () => {
    const message = missingAttributesMessage('previews', searchAttributeProblems({}));
    for (const command of readme.filter((c) => c.includes(' create '))) expect(message).toContain(`\n    ${command}\n`.trimEnd());
  });
});

describe('checkSearchAttributes', () => {
  it('passes a namespace with all five', async () => {
    await expect(checkSearchAttributes(operator({ ...ALL, Unrelated: 1 }), { namespace: 'previews', register: false })).resolves.toEqual({ outcome: 'present' });
  });

  it('refuses a namespace missing some, naming each with the command that creates it', async () => {
    const { PreviewPhase: _p, PreviewHeadSha: _h, ...some } = ALL;
    const err = await checkSearchAttributes(operator(some), { namespace: 'previews', register: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SearchAttributesMissingError);
    const missing = err as SearchAttributesMissingError;
    expect(missing.code).toBe('search_attributes_missing');
    expect(missing.problems).toEqual([{ name: 'PreviewPhase', expected: 'Keyword' }, { name: 'PreviewHeadSha', expected: 'Keyword' }]);
    expect(missing.message).toContain('PreviewPhase (Keyword) is missing:\n    temporal operator search-attribute create --namespace previews --name PreviewPhase --type Keyword');
    expect(missing.message).toContain('--name PreviewHeadSha --type Keyword');
    expect(missing.message).not.toContain('--name PreviewRepository');
  });

  it('refuses an attribute registered with another type, and registering does not touch it', async () => {
    const api = operator({ ...ALL, PreviewPullRequest: 2 });
    const err = (await checkSearchAttributes(api, { namespace: 'previews', register: true }).catch((e: unknown) => e)) as SearchAttributesMissingError;
    expect(err.problems).toEqual([{ name: 'PreviewPullRequest', expected: 'Int', actual: 'Keyword' }]);
    expect(err.message).toContain('PreviewPullRequest is registered as Keyword, previewd needs Int');
    expect(err.message).toContain('temporal operator search-attribute remove --namespace previews --name PreviewPullRequest');
    expect(api.added).toEqual([]);
  });

  it('registers the missing ones when told to, and lists again', async () => {
    const { PreviewExpiresAt: _e, PreviewPullRequest: _n, ...some } = ALL;
    const api = operator(some);
    await expect(checkSearchAttributes(api, { namespace: 'previews', register: true })).resolves.toEqual({ outcome: 'registered', names: ['PreviewPullRequest', 'PreviewExpiresAt'] });
    expect(api.added).toEqual([{ PreviewPullRequest: 3, PreviewExpiresAt: 6 }]);
  });

  it('says it could not register when the credentials may not, with the commands', async () => {
    const err = (await checkSearchAttributes(operator({}, { add: 7 }), { namespace: 'previews', register: true }).catch((e: unknown) => e)) as SearchAttributesMissingError;
    expect(err).toBeInstanceOf(SearchAttributesMissingError);
    expect(err.message).toMatch(/^temporal.registerSearchAttributes is set, but these credentials may not add search attributes \(Request unauthorized.\)/);
    expect(err.message).toContain('--name PreviewExpiresAt --type Datetime');
  });

  it.each([
    ['PERMISSION_DENIED', 7],
    ['UNIMPLEMENTED', 12],
  ])('skips the check when listing is not permitted (%s: Temporal Cloud)', async (_name, code) => {
    await expect(checkSearchAttributes(operator({}, { list: code }), { namespace: 'ns.acct', register: false })).resolves.toEqual({ outcome: 'not-checked', reason: 'Request unauthorized.' });
  });

  it('fails on any other error (an unreachable server is not a permission question)', async () => {
    await expect(checkSearchAttributes(operator({}, { list: 14 }), { namespace: 'previews', register: false })).rejects.toMatchObject({ code: 14 });
  });
});
