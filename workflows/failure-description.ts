import { ActivityFailure, ApplicationFailure, type TemporalFailure } from '@temporalio/workflow';
import type { LastError } from './contract';

/** The failure an activity ended with, in the words and type its implementation gave. */
export function describeFailure(err: unknown): { readonly step?: string; readonly message: string; readonly type?: string } {
  if (err instanceof ActivityFailure) {
    const cause = err.cause as TemporalFailure | undefined;
    const type = cause instanceof ApplicationFailure ? (cause.type ?? undefined) : cause?.name;
    return { step: err.activityType, message: cause?.message || err.message, type };
  }
  if (err instanceof Error) return { message: err.message, type: err.name };
  return { message: String(err) };
}

export function lastErrorOf(err: unknown, fallbackStep: string): LastError {
  const d = describeFailure(err);
  return { step: d.step ?? fallbackStep, message: d.message, type: d.type, at: new Date().toISOString() };
}
