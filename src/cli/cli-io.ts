// Where previewctl writes. Injected, so tests run commands in-process and read what a person
// would see; the bin wires it to stdout/stderr.

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

export const processIo: CliIo = {
  out: (text) => void process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => void process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
};

/** A failure the user can act on: printed without a stack, with this exit code. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** Exit codes: 0 done, 1 the operation failed (not found, rejected, nondeterminism), 2 usage or config. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;
