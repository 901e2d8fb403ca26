// The ways a request to the model worker can fail, as distinct error classes so that callers can tell
// "the user cancelled" (say nothing) from "the worker stopped" (already shown) from a real failure.

import type { ErrorCode } from '../models/worker/protocol';

/** The request was cancelled through its CancellationToken; the worker stopped the job. */
export class CancelledError extends Error {
  constructor(method: string) {
    super(`The ${method} request was cancelled.`);
    this.name = 'CancelledError';
  }
}

/** The worker answered the request with an error: 'bad-input' (the user can fix it) or 'internal'. */
export class WorkerRequestError extends Error {
  constructor(
    readonly code: Exclude<ErrorCode, 'cancelled'>,
    message: string,
  ) {
    super(message);
    this.name = 'WorkerRequestError';
  }
}

/** The worker process went away before answering (crash, kill, restart or shutdown). */
export class WorkerStoppedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkerStoppedError';
  }

  static unexpectedExit(code: number | null, signal: NodeJS.Signals | null): WorkerStoppedError {
    return new WorkerStoppedError(
      `The model worker stopped unexpectedly (exit code ${code ?? 'none'}, signal ${signal ?? 'none'}). ` + 'The next request will start a fresh worker.',
    );
  }
}
