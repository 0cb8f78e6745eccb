/** Milliseconds since the epoch; injected into activities so deadlines and rate-limit waits are testable. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
