import { z } from 'zod';

// The parts of GitHub's webhook payloads the ingress reads. Loose on purpose (GitHub adds
// fields all the time; Enterprise Server versions lag), strict only about what routing needs:
// a signed payload without them is a malformed delivery, answered 400.

const repositorySchema = z.object({ full_name: z.string().min(1) });
const userSchema = z.object({ login: z.string().min(1) });
const labelSchema = z.object({ name: z.string() });

/** Just enough to find the repository of any event, before knowing its shape. */
export const repositoryEnvelopeSchema = z.object({ repository: repositorySchema });

export const pullRequestPayloadSchema = z.object({
  action: z.string().min(1),
  number: z.number().int().positive(),
  pull_request: z.object({
    state: z.string().optional(),
    /** Absent on old Enterprise Server versions, which have no drafts. */
    draft: z.boolean().optional(),
    /** When GitHub last changed the PR (ISO-8601): orders deliveries that arrive out of order. */
    updated_at: z.string().optional(),
    labels: z.array(labelSchema).default([]),
    user: userSchema,
    head: z.object({
      sha: z.string().min(1),
      /** null when the fork was deleted: still a fork for the policy. */
      repo: repositorySchema.nullable(),
    }),
    base: z.object({ repo: repositorySchema }),
  }),
  /** The label added or removed, on `labeled`/`unlabeled`. */
  label: labelSchema.optional(),
  /** `synchronize` only: the head the push replaced. */
  before: z.string().optional(),
  repository: repositorySchema,
  sender: userSchema,
});

export const issueCommentPayloadSchema = z.object({
  action: z.string().min(1),
  issue: z.object({
    number: z.number().int().positive(),
    /** Present only when the issue is a pull request. */
    pull_request: z.object({}).loose().optional(),
  }),
  comment: z.object({
    body: z.string().nullable().default(''),
    /** OWNER, MEMBER, COLLABORATOR, CONTRIBUTOR, FIRST_TIMER, FIRST_TIME_CONTRIBUTOR, MANNEQUIN, NONE. */
    author_association: z.string(),
    user: userSchema,
    /** When the command was written (ISO-8601): a destroy older than the newest creating event is stale. */
    created_at: z.string().optional(),
  }),
  repository: repositorySchema,
  sender: userSchema,
});

/** A PR that a check run or suite matches: same head SHA and branch (empty for forks). */
const checkPullRequestSchema = z.object({
  number: z.number().int().positive(),
  head: z.object({ sha: z.string().min(1) }),
  /** Only id, url and name: the PR may belong to another repository (a branch proposed upstream). */
  base: z.object({ repo: z.object({ id: z.number().int() }) }),
});

const checkSchema = z.object({
  head_sha: z.string().min(1),
  status: z.string().nullable().optional(),
  conclusion: z.string().nullable().optional(),
  pull_requests: z.array(checkPullRequestSchema).default([]),
});

/** `check_run` and `check_suite`: the check (run or suite) under the event's own name. */
export const checkRunPayloadSchema = z.object({
  action: z.string().min(1),
  check_run: checkSchema.extend({ name: z.string() }),
  repository: repositorySchema.extend({ id: z.number().int() }),
});

export const checkSuitePayloadSchema = z.object({
  action: z.string().min(1),
  check_suite: checkSchema,
  repository: repositorySchema.extend({ id: z.number().int() }),
});

/** `status`: a commit status; it names the SHA, never a pull request. */
export const statusPayloadSchema = z.object({ sha: z.string().min(1), state: z.string(), context: z.string(), repository: repositorySchema });

export type PullRequestPayload = z.infer<typeof pullRequestPayloadSchema>;
export type IssueCommentPayload = z.infer<typeof issueCommentPayloadSchema>;
export type CheckRunPayload = z.infer<typeof checkRunPayloadSchema>;
export type CheckSuitePayload = z.infer<typeof checkSuitePayloadSchema>;
