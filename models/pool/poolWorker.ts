// One model worker process of the scoring pool: dist/worker.js forked with an IPC channel, speaking the
// protocol of ../worker/protocol.ts. request() sends one request and resolves with its result; a worker
// that exits rejects every request still open.

import { type ChildProcess, fork } from 'node:child_process';
import { BadInputError } from '../io/errors';
import type { MethodName, WorkerEvent, WorkerMethods, WorkerRequest } from '../worker/protocol';

interface Pending {
  resolve(result: unknown): void;
  reject(error: Error): void;
}

export class PoolWorker {
  private readonly child: ChildProcess;
  private readonly pending = new Map<number, Pending>();
  private readonly exited: Promise<void>;
  private nextId = 1;
  private stderr = '';

  /** Forks `workerScript`; its log events go to `log`. */
  constructor(
    workerScript: string,
    private readonly log: (line: string) => void,
  ) {
    this.child = fork(workerScript, [], {
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      // Not the parent's flags (e.g. --inspect); inside VS Code execPath is Electron, which this variable makes plain Node.
      execArgv: [],
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    });
    this.child.stderr!.on('data', (chunk) => (this.stderr += chunk));
    this.child.on('message', (event: WorkerEvent) => this.receive(event));
    this.exited = new Promise((resolve) => {
      const end = (why: Error): void => {
        for (const { reject } of this.pending.values()) reject(why);
        this.pending.clear();
        resolve();
      };
      this.child.on('exit', (code, signal) => {
        end(new Error(`The model worker (pid ${this.child.pid}) exited (${signal ?? `code ${code}`}) ${this.stderr.trim()}`.trim()));
      });
      // The process could not be started (or signalled): Node may then emit no 'exit'.
      this.child.on('error', (error) => end(new Error(`The model worker ${workerScript} failed: ${error.message}`)));
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Sends a request; resolves with its result, rejects with BadInputError ('bad-input') or Error (any other error). */
  request<M extends MethodName>(method: M, params: WorkerMethods[M]['params']): Promise<WorkerMethods[M]['result']> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (result: unknown) => void, reject });
      this.child.send({ type: 'request', id, method, params } as WorkerRequest);
    });
  }

  /** Ends the process (SIGKILL: a worker deep in a computation reads no messages) and resolves once it is gone. */
  kill(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    return this.exited;
  }

  private receive(event: WorkerEvent): void {
    if (event.type === 'log') return this.log(event.message);
    if (event.type === 'progress') return;
    const request = this.pending.get(event.id);
    if (!request) return;
    this.pending.delete(event.id);
    if (event.type === 'result') request.resolve(event.result);
    else request.reject(event.code === 'bad-input' ? new BadInputError(event.message) : new Error(event.message));
  }
}
