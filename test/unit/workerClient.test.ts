// The extension host's worker client (extension/workerClient.ts) against a small fake worker that speaks
// the protocol: lazy start with `init` first, progress, binary results, cancellation, errors, crashes
// and restarts. The real worker's jobs are tested in worker.test.ts.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type * as vscode from 'vscode';
import type { BackendPreference } from '../../models/runtime/backendNames';
import { WorkerClient } from '../../extension/workerClient';
import { CancelledError, WorkerRequestError, WorkerStoppedError } from '../../extension/workerErrors';

/**
 * The fake worker. `init` answers with the requested backend, except 'webgpu' (fails like a missing GPU).
 * Jobs act on their `file` parameter: 'crash' exits with code 3; 'slow' sends progress every 10 ms until
 * cancelled; 'bad' fails with bad-input; any other file is read as a 2x1x1 grid [1.5, -2] (a readScan
 * result). Jobs before `init` fail.
 */
const FAKE_WORKER = `
let backend;
const send = (event) => process.send(event);
const cancelled = new Set();
process.on('message', (m) => {
  if (m.type === 'cancel') return void cancelled.add(m.id);
  if (m.method === 'init') {
    if (m.params.backend === 'webgpu') return send({ type: 'error', id: m.id, code: 'bad-input', message: 'webgpu: no adapter' });
    backend = { name: m.params.backend, tfjsName: m.params.backend, skipped: [] };
    send({ type: 'log', level: 'warn', message: 'fake worker ready' });
    console.log('printed on stdout');
    return send({ type: 'result', id: m.id, result: backend });
  }
  if (!backend) return send({ type: 'error', id: m.id, code: 'internal', message: 'a job before init' });
  const file = m.params.file;
  if (file === 'crash') process.exit(3);
  if (file === 'bad') return send({ type: 'error', id: m.id, code: 'bad-input', message: 'bad: not a scan' });
  if (file === 'slow') {
    let done = 0;
    const timer = setInterval(() => {
      if (cancelled.has(m.id)) {
        clearInterval(timer);
        return send({ type: 'error', id: m.id, code: 'cancelled', message: 'Cancelled' });
      }
      send({ type: 'progress', id: m.id, progress: { done: ++done, total: 1000 } });
    }, 10);
    return;
  }
  send({ type: 'result', id: m.id, result: { image: { dims: [2, 1, 1], data: new Float32Array([1.5, -2]) }, spacing: [1, 1, 1] } });
});
`;

/** A CancellationToken that the test cancels by hand (the client only uses these two members). */
function cancellationSource() {
  const listeners: (() => void)[] = [];
  const token = {
    isCancellationRequested: false,
    onCancellationRequested: (listener: () => void) => {
      listeners.push(listener);
      return { dispose: () => listeners.splice(listeners.indexOf(listener), 1) };
    },
  };
  const cancel = () => {
    token.isCancellationRequested = true;
    for (const listener of [...listeners]) listener();
  };
  return { token: token as unknown as vscode.CancellationToken, cancel };
}

describe('WorkerClient', { timeout: 30_000 }, () => {
  let dir: string;
  let workerPath: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'worker-client-'));
    workerPath = join(dir, 'fake-worker.js');
    writeFileSync(workerPath, FAKE_WORKER);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** A client on the fake worker, recording what it reports. */
  function makeClient(initialBackend: BackendPreference = 'wasm') {
    const seen = { logs: [] as string[], crashes: [] as string[], backends: [] as (string | undefined)[], preference: initialBackend };
    const client = new WorkerClient({
      workerPath,
      backendPreference: () => seen.preference,
      log: (level, message) => seen.logs.push(`${level}: ${message}`),
      onUnexpectedExit: (error) => seen.crashes.push(error.message),
      onBackendChange: (backend) => seen.backends.push(backend?.name),
    });
    return { client, seen };
  }

  it('starts the worker on the first request, sends init with the backend setting first, and returns typed arrays', async () => {
    const { client, seen } = makeClient('wasm');
    try {
      assert.equal(client.pid(), undefined);
      const scan = await client.request('readScan', { file: 'a.png' });
      assert.ok(scan.image.data instanceof Float32Array);
      assert.deepEqual([...scan.image.data], [1.5, -2]);
      assert.deepEqual(client.backend(), { name: 'wasm', tfjsName: 'wasm', skipped: [] });
      assert.equal(typeof client.pid(), 'number');
      assert.deepEqual(seen.backends, ['wasm']);
      assert.ok(seen.logs.includes('warn: fake worker ready'), 'log events reach the log');
      assert.ok(seen.logs.includes('info: [worker] printed on stdout'), 'stdout reaches the log');
    } finally {
      client.dispose();
    }
  });

  it('reuses the running worker', async () => {
    const { client } = makeClient();
    try {
      await client.request('readScan', { file: 'a.png' });
      const pid = client.pid();
      await client.request('readScan', { file: 'b.png' });
      assert.equal(client.pid(), pid);
    } finally {
      client.dispose();
    }
  });

  it('rejects worker errors with their code and message', async () => {
    const { client } = makeClient();
    try {
      await assert.rejects(client.request('readScan', { file: 'bad' }), (error) => {
        assert.ok(error instanceof WorkerRequestError);
        assert.equal(error.code, 'bad-input');
        assert.equal(error.message, 'bad: not a scan');
        return true;
      });
    } finally {
      client.dispose();
    }
  });

  it('forwards progress and turns a cancelled token into a cancel message and a CancelledError', async () => {
    const { client } = makeClient();
    const { token, cancel } = cancellationSource();
    const progress: number[] = [];
    try {
      const request = client.request(
        'scoreScan',
        { modelDir: 'm', file: 'slow' },
        {
          token,
          onProgress: (p) => {
            progress.push(p.done);
            if (progress.length === 3) cancel();
          },
        },
      );
      await assert.rejects(request, CancelledError);
      assert.deepEqual(progress.slice(0, 3), [1, 2, 3]);
      // The worker survives a cancel.
      assert.deepEqual([...(await client.request('readScan', { file: 'a.png' })).image.data], [1.5, -2]);
    } finally {
      client.dispose();
    }
  });

  it('does not start anything for an already cancelled token', async () => {
    const { client } = makeClient();
    const { token, cancel } = cancellationSource();
    cancel();
    await assert.rejects(client.request('readScan', { file: 'a.png' }, { token }), CancelledError);
    assert.equal(client.pid(), undefined);
  });

  it('on a crash rejects the pending request with a clear error, reports it once, and starts a fresh worker next time', async () => {
    const { client, seen } = makeClient();
    try {
      await client.request('readScan', { file: 'a.png' });
      const firstPid = client.pid();
      await assert.rejects(client.request('readScan', { file: 'crash' }), {
        name: 'WorkerStoppedError',
        message: 'The model worker stopped unexpectedly (exit code 3, signal none). The next request will start a fresh worker.',
      });
      assert.deepEqual(seen.crashes, ['The model worker stopped unexpectedly (exit code 3, signal none). The next request will start a fresh worker.']);
      assert.equal(client.pid(), undefined);
      assert.equal(client.backend(), undefined);

      await client.request('readScan', { file: 'a.png' });
      assert.notEqual(client.pid(), firstPid);
      assert.deepEqual(seen.backends, ['wasm', undefined, 'wasm']);
    } finally {
      client.dispose();
    }
  });

  it('reports a worker killed from outside (signal) as a crash', async () => {
    const { client, seen } = makeClient();
    try {
      let killed = false;
      const kill = () => {
        if (!killed) process.kill(client.pid()!, 'SIGKILL');
        killed = true;
      };
      await assert.rejects(client.request('scoreScan', { modelDir: 'm', file: 'slow' }, { onProgress: kill }), /exit code none, signal SIGKILL/);
      assert.equal(seen.crashes.length, 1);
    } finally {
      client.dispose();
    }
  });

  it('stops a worker whose backend cannot start; the next request tries again with the current setting', async () => {
    const { client, seen } = makeClient('webgpu');
    try {
      await assert.rejects(client.request('readScan', { file: 'a.png' }), { name: 'WorkerRequestError', message: 'webgpu: no adapter' });
      assert.equal(client.pid(), undefined);
      assert.deepEqual(seen.crashes, [], 'a failed init is not a crash');
      seen.preference = 'cpu';
      await client.request('readScan', { file: 'a.png' });
      assert.equal(client.backend()?.name, 'cpu');
    } finally {
      client.dispose();
    }
  });

  it('replaces an idle worker at once when the backend setting changes', async () => {
    const { client, seen } = makeClient('wasm');
    try {
      await client.request('readScan', { file: 'a.png' });
      const firstPid = client.pid();
      seen.preference = 'cpu';
      client.backendSettingChanged();
      assert.equal(client.pid(), undefined);
      await client.request('readScan', { file: 'a.png' });
      assert.notEqual(client.pid(), firstPid);
      assert.equal(client.backend()?.name, 'cpu');
      assert.deepEqual(seen.crashes, [], 'a restart is not a crash');
    } finally {
      client.dispose();
    }
  });

  it('lets a running request finish before replacing the worker for a new backend setting', async () => {
    const { client, seen } = makeClient('wasm');
    const { token, cancel } = cancellationSource();
    try {
      let progressEvents = 0;
      const running = client.request(
        'scoreScan',
        { modelDir: 'm', file: 'slow' },
        {
          token,
          onProgress: () => {
            if (++progressEvents === 2) {
              seen.preference = 'cpu';
              client.backendSettingChanged();
            }
            if (progressEvents === 4) cancel();
          },
        },
      );
      await assert.rejects(running, CancelledError, 'the running request ends normally, not with WorkerStoppedError');
      assert.equal(progressEvents, 4);
      assert.equal(client.pid(), undefined, 'replaced once idle');
      await client.request('readScan', { file: 'a.png' });
      assert.equal(client.backend()?.name, 'cpu');
    } finally {
      client.dispose();
    }
  });

  it('dispose stops the worker and fails its pending requests without reporting a crash', async () => {
    const { client, seen } = makeClient();
    const running = client.request('scoreScan', { modelDir: 'm', file: 'slow' }, { onProgress: () => client.dispose() });
    await assert.rejects(running, (error) => error instanceof WorkerStoppedError && /extension is shutting down/.test(error.message));
    assert.equal(client.pid(), undefined);
    assert.deepEqual(seen.crashes, []);
  });
});
