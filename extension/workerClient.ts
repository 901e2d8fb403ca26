// The extension host's side of the model worker (dist/worker.js): a forked Node process that does all
// decoding, training and scoring, so that no heavy work runs on the extension host's thread. The
// messages are the typed protocol of models/worker/protocol.ts, over IPC with 'advanced' serialization
// (typed arrays travel as binary).
//
// Life cycle: the worker is forked on the first request and first sent `init` with the backend setting.
// If it exits on its own, every pending request fails with WorkerStoppedError and the next request
// forks a fresh one. A changed backend setting, or a newly installed native backend, replaces it once it is idle.

import { type ChildProcess, fork } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type * as vscode from 'vscode';
import type { BackendInfo, BackendPreference } from '../models/runtime/backendNames';
import type { MethodName, WorkerEvent, WorkerMethods, WorkerRequest } from '../models/worker/protocol';
import { CancelledError, WorkerRequestError, WorkerStoppedError } from './workerErrors';

/** The methods callers may request; `init` is the client's own business. */
export type TaskMethod = Exclude<MethodName, 'init'>;
export type LogLevel = 'info' | 'warn' | 'error';

export interface RequestOptions<M extends MethodName> {
  onProgress?: (progress: WorkerMethods[M]['progress']) => void;
  /** Cancelling it sends `cancel`; the request then rejects with CancelledError. */
  token?: vscode.CancellationToken;
}

export interface WorkerClientOptions {
  /** The worker script to fork (dist/worker.js). */
  workerPath: string;
  /** Read each time a worker starts, so a fresh worker uses the current setting. */
  backendPreference: () => BackendPreference;
  /** The wasm backend's threads (0 = every core), read like backendPreference; default 0. */
  wasmThreads?: () => number;
  /** node_modules folders where the worker also looks for backend packages (the natively installed ones). */
  modulePaths?: string[];
  log: (level: LogLevel, message: string) => void;
  /** The worker exited without being asked to (crash, out of memory, killed from outside). */
  onUnexpectedExit: (error: WorkerStoppedError) => void;
  /** A worker started and chose its backend, or (undefined) the worker is gone. */
  onBackendChange: (backend: BackendInfo | undefined) => void;
}

interface Worker {
  process: ChildProcess;
  /** Settles when `init` has answered: the backend is chosen and jobs may be sent. */
  ready: Promise<BackendInfo>;
  backend?: BackendInfo;
  /** Set when the client stops it on purpose, so that its exit is not reported as a crash. */
  stopping: boolean;
}

interface PendingRequest {
  method: MethodName;
  onProgress?: (progress: unknown) => void;
  resolve: (result: unknown) => void;
  reject: (error: Error) => void;
  /** Detaches the cancellation listener. */
  release: () => void;
}

export class WorkerClient implements vscode.Disposable {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, PendingRequest>();
  private nextId = 1;
  /** Why the worker is to be replaced once its requests end; undefined when it is not. */
  private restartWhenIdle: string | undefined;

  constructor(private readonly options: WorkerClientOptions) {}

  /** Sends one request to the worker (starting it if needed) and resolves with its result. */
  async request<M extends TaskMethod>(method: M, params: WorkerMethods[M]['params'], options: RequestOptions<M> = {}): Promise<WorkerMethods[M]['result']> {
    if (options.token?.isCancellationRequested) throw new CancelledError(method);
    const worker = await this.readyWorker();
    if (options.token?.isCancellationRequested) throw new CancelledError(method);
    return this.send(worker.process, method, params, options);
  }

  /** The backend the running worker chose; undefined before the first request or after it stopped. */
  backend(): BackendInfo | undefined {
    return this.worker?.backend;
  }

  pid(): number | undefined {
    return this.worker?.process.pid;
  }

  /** Call when `vqAnomaly.backend` changed: the worker is replaced now if idle, else when its requests end. */
  backendSettingChanged(): void {
    this.replaceWorker('the backend setting changed');
  }

  /**
   * Replaces the worker so that the next one chooses its backend afresh: now if it is idle (true), else
   * when its requests end (false). True also when no worker runs.
   */
  replaceWorker(reason: string): boolean {
    if (!this.worker) return true;
    if (this.pending.size > 0) {
      this.restartWhenIdle = reason;
      return false;
    }
    this.stop(this.worker, reason);
    return true;
  }

  /** Starts the worker if none runs, and resolves with the backend it chose. */
  async startedBackend(): Promise<BackendInfo> {
    return (await this.readyWorker()).ready;
  }

  dispose(): void {
    if (this.worker) this.stop(this.worker, 'the extension is shutting down');
  }

  /** The current worker once `init` has answered, forking one if there is none. */
  private async readyWorker(): Promise<Worker> {
    for (;;) {
      const worker = this.worker ?? this.start();
      await worker.ready;
      // It may have been replaced while we waited (backend setting changed): then use the new one.
      if (worker === this.worker) return worker;
    }
  }

  private start(): Worker {
    const child = fork(this.options.workerPath, [], {
      serialization: 'advanced',
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      // Not the extension host's flags (e.g. --inspect); in VS Code desktop execPath is Electron's
      // binary, which this variable makes behave as plain Node.
      execArgv: [],
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    });
    const preference = this.options.backendPreference();
    this.options.log('info', `Starting the model worker (pid ${child.pid ?? 'unknown'}, backend setting '${preference}')`);
    const init = { backend: preference, modulePaths: this.options.modulePaths, wasmThreads: this.options.wasmThreads?.() ?? 0 };
    const worker: Worker = { process: child, ready: this.send(child, 'init', init, {}), stopping: false };
    this.worker = worker;
    this.restartWhenIdle = undefined;
    worker.ready.then(
      (backend) => {
        worker.backend = backend;
        if (this.worker === worker) this.options.onBackendChange(backend);
      },
      // A worker without a backend cannot serve anything: the next request starts a fresh one.
      () => {
        if (this.worker === worker) this.stop(worker, 'its backend could not start');
      },
    );

    // A worker being stopped has had its requests rejected already: what it still says is dropped.
    child.on('message', (message) => {
      if (!worker.stopping) this.onEvent(message as WorkerEvent);
    });
    child.on('exit', (code, signal) => this.onExit(worker, code, signal));
    child.on('error', (error) => {
      if (!worker.stopping) this.options.log('error', `Model worker process error: ${error.message}`);
    });
    this.forwardOutput(worker, child.stdout, 'info');
    this.forwardOutput(worker, child.stderr, 'warn');
    return worker;
  }

  private send<M extends MethodName>(
    child: ChildProcess,
    method: M,
    params: WorkerMethods[M]['params'],
    options: RequestOptions<M>,
  ): Promise<WorkerMethods[M]['result']> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const cancellation = options.token?.onCancellationRequested(() => child.send({ type: 'cancel', id } satisfies WorkerRequest));
      this.pending.set(id, {
        method,
        onProgress: options.onProgress as ((progress: unknown) => void) | undefined,
        resolve: resolve as (result: unknown) => void,
        reject,
        release: () => cancellation?.dispose(),
      });
      const request = { type: 'request', id, method, params } as WorkerRequest;
      child.send(request, (error) => {
        if (error) this.settle(id)?.reject(new WorkerStoppedError(`Could not send the ${method} request to the model worker: ${error.message}`));
      });
    });
  }

  private onEvent(event: WorkerEvent): void {
    if (event.type === 'log') {
      this.options.log(event.level, event.message);
      return;
    }
    if (event.type === 'progress') {
      this.pending.get(event.id)?.onProgress?.(event.progress);
      return;
    }
    // A late answer to a request that already failed (its worker stopped) finds nothing here.
    const request = this.settle(event.id);
    if (!request) return;
    if (event.type === 'result') request.resolve(event.result);
    else if (event.code === 'cancelled') request.reject(new CancelledError(request.method));
    else request.reject(new WorkerRequestError(event.code, event.message));
  }

  /** Removes a request from the pending set; replaces the worker if it was waiting to become idle for that. */
  private settle(id: number): PendingRequest | undefined {
    const request = this.pending.get(id);
    if (!request) return undefined;
    this.pending.delete(id);
    request.release();
    if (this.restartWhenIdle !== undefined && this.pending.size === 0 && this.worker) this.stop(this.worker, this.restartWhenIdle);
    return request;
  }

  private rejectAll(error: WorkerStoppedError): void {
    for (const id of [...this.pending.keys()]) this.settle(id)?.reject(error);
  }

  private stop(worker: Worker, reason: string): void {
    worker.stopping = true;
    this.forget(worker);
    this.options.log('info', `Stopping the model worker: ${reason}`);
    this.rejectAll(new WorkerStoppedError(`The model worker was stopped because ${reason}.`));
    worker.process.kill();
  }

  private onExit(worker: Worker, code: number | null, signal: NodeJS.Signals | null): void {
    if (worker.stopping) return;
    const error = WorkerStoppedError.unexpectedExit(code, signal);
    this.options.log('error', error.message);
    this.forget(worker);
    this.rejectAll(error);
    this.options.onUnexpectedExit(error);
  }

  /** Drops the worker as the current one, so that the next request starts a fresh worker. */
  private forget(worker: Worker): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    this.options.onBackendChange(undefined);
  }

  /** Passes the worker's console output (stdout, stderr) to the log, line by line. */
  private forwardOutput(worker: Worker, stream: Readable | null, level: LogLevel): void {
    if (!stream) return;
    createInterface({ input: stream }).on('line', (line) => {
      if (!worker.stopping) this.options.log(level, `[worker] ${line}`);
    });
  }
}
