// Entry of the model worker process (bundled to dist/worker.js). The extension forks it with
// `serialization: 'advanced'` and exchanges the messages of ./protocol.ts over IPC. Requests run one
// at a time in arrival order, except reading a scan for display; a cancel is handled at once. Each request ends with one result or one
// error: 'bad-input' for input the user can fix, 'cancelled', or 'internal' (its stack goes to the log).

import { BadInputError } from '../io/errors';
import { CancelledError } from './cancelled';
import { type Handler, handlers } from './handlers';
import { JobQueue } from './jobQueue';
import type { ErrorCode, MethodName, WorkerEvent, WorkerMethods, WorkerRequest } from './protocol';

type Request = Extract<WorkerRequest, { type: 'request' }>;

if (!process.send) {
  console.error('This is the model worker: start it with child_process.fork so that it has an IPC channel.');
  process.exit(2);
}

const queue = new JobQueue();

/** Short requests that need no model: answered at once, even while a training runs in the queue. */
const UNQUEUED: ReadonlySet<MethodName> = new Set(['readScan']);

process.on('message', (message: WorkerRequest) => {
  if (message.type === 'cancel') queue.cancel(message.id);
  else if (UNQUEUED.has(message.method)) void answer(message, () => false);
  else queue.enqueue(message.id, (isCancelled) => answer(message, isCancelled));
});

// A bug outside any request: report it and exit; the extension starts a fresh worker on its next request.
process.on('unhandledRejection', (reason) => {
  send({ type: 'log', level: 'error', message: `Worker failed: ${describe(reason)}` }, () => process.exit(1));
});

// The extension went away: nothing is left to answer.
process.on('disconnect', () => process.exit(0));

async function answer(request: Request, isCancelled: () => boolean): Promise<void> {
  const { id } = request;
  const control = {
    onProgress: (progress: WorkerMethods[MethodName]['progress']) => send({ type: 'progress', id, progress }),
    isCancelled,
    log: (line: string) => send({ type: 'log', level: 'info', message: line }),
  };
  try {
    if (isCancelled()) throw new CancelledError('Cancelled before it started');
    const handler = handlers[request.method] as Handler<MethodName>;
    const result = await handler(request.params, control);
    // The next job waits until a large result (maps of a whole volume) is written out: while a job
    // computes, the pipe would only be written between its steps.
    await new Promise<void>((resolve) => send({ type: 'result', id, result }, resolve));
  } catch (error) {
    send({ type: 'error', id, ...errorReply(error) });
  }
}

function errorReply(error: unknown): { code: ErrorCode; message: string } {
  if (error instanceof CancelledError) return { code: 'cancelled', message: error.message };
  if (error instanceof BadInputError) return { code: 'bad-input', message: error.message };
  send({ type: 'log', level: 'error', message: describe(error) });
  return { code: 'internal', message: error instanceof Error ? error.message : String(error) };
}

/** The stack of an error (its message when it has none). */
function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

function send(event: WorkerEvent, then?: () => void): void {
  if (process.connected) process.send!(event, undefined, undefined, then);
  else then?.();
}
