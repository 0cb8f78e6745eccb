import { z } from 'zod';

export interface AiAnswer {
  /** Catalogue services the model named, deduplicated, in the model's order. */
  readonly services: string[];
  /** Names the model made up: dropped, but recorded. */
  readonly dropped: string[];
  readonly rationale: string;
}

export class AiAnswerError extends Error {
  override readonly name = 'AiAnswerError';
}

const answerShape = z.object({ services: z.array(z.string()), rationale: z.string().optional() });

const RATIONALE_LIMIT = 500;

/** Parses the model's JSON text; unknown service names are dropped, anything malformed is an error. */
export function parseAiAnswer(content: string | null | undefined, serviceNames: readonly string[]): AiAnswer {
  if (!content) throw new AiAnswerError('the model returned no content');
  let json: unknown;
  try {
    json = JSON.parse(content);
  } catch {
    throw new AiAnswerError('the model did not return JSON');
  }
  const parsed = answerShape.safeParse(json);
  if (!parsed.success) throw new AiAnswerError(`the model's answer does not match the schema (${parsed.error.issues[0]?.path.join('.') || 'root'}: ${parsed.error.issues[0]?.message ?? 'invalid'})`);
  const known = new Set(serviceNames);
  const unique = [...new Set(parsed.data.services.map((s) => s.trim()))];
  const rationale = (parsed.data.rationale ?? '').trim();
  return {
    services: unique.filter((s) => known.has(s)),
    dropped: unique.filter((s) => !known.has(s)).map((s) => s.slice(0, 100)),
    rationale: rationale.length > RATIONALE_LIMIT ? `${rationale.slice(0, RATIONALE_LIMIT - 1)}…` : rationale,
  };
}
