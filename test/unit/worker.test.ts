import assert from 'node:assert/strict';
import { type ChildProcess, fork } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ErrorCode, MethodName, WorkerEvent, WorkerMethods } from '../../models/worker/protocol';
import { builtBundle, IMAGE_HEIGHT, IMAGE_WIDTH, TINY_MODEL, TINY_TRAINING, writeSyntheticPngs } from './workerFixtures';

interface Answer<M extends MethodName> {
  progress: WorkerMethods[M]['progress'][];
  result?: WorkerMethods[M]['result'];
  error?: { code: ErrorCode; message: string };
}

/** The test's side of the protocol: forks dist/worker.js as the extension does and collects its answers. */
class WorkerUnderTest {
  readonly logs: string[] = [];
  private readonly child: ChildProcess;
  private readonly answers = new Map<number, { answer: Answer<MethodName>; onProgress?(p: unknown): void; done(a: Answer<MethodName>): void }>();
  private nextId = 1;
  private stderr = '';

  constructor() {
    this.child = fork(builtBundle('worker.js'), [], { serialization: 'advanced', stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    this.child.stderr!.on('data', (chunk) => (this.stderr += chunk));
    this.child.on('message', (event: WorkerEvent) => this.receive(event));
    this.child.on('exit', (code) => {
      for (const { done } of this.answers.values()) done({ progress: [], error: { code: 'internal', message: `worker exited (${code}): ${this.stderr}` } });
    });
  }

  /** Sends a request and resolves with its answer; `onProgress` sees each progress event as it arrives. */
  request<M extends MethodName>(method: M, params: WorkerMethods[M]['params'], onProgress?: (p: WorkerMethods[M]['progress'], id: number) => void) {
    return this.send(method, params, onProgress).answer;
  }

  /** Sends a request and returns its id at once, with the promise of its answer. */
  send<M extends MethodName>(method: M, params: WorkerMethods[M]['params'], onProgress?: (p: WorkerMethods[M]['progress'], id: number) => void) {
    const id = this.nextId++;
    const answer = new Promise<Answer<M>>((resolve) => {
      this.answers.set(id, {
        answer: { progress: [] },
        onProgress: onProgress && ((p) => onProgress(p as WorkerMethods[M]['progress'], id)),
        done: resolve as (a: Answer<MethodName>) => void,
      });
    });
    this.child.send({ type: 'request', id, method, params });
    return { id, answer };
  }

  cancel(id: number): void {
    this.child.send({ type: 'cancel', id });
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.disconnect();
    });
  }

  private receive(event: WorkerEvent): void {
    if (event.type === 'log') {
      this.logs.push(event.message);
      return;
    }
    const pending = this.answers.get(event.id);
    assert.ok(pending, `event for unknown request ${event.id}`);
    if (event.type === 'progress') {
      pending.answer.progress.push(event.progress);
      pending.onProgress?.(event.progress);
      return;
    }
    this.answers.delete(event.id);
    pending.done(
      event.type === 'result' ? { ...pending.answer, result: event.result } : { ...pending.answer, error: { code: event.code, message: event.message } },
    );
  }
}

const readManifest = (modelDir: string) => JSON.parse(readFileSync(join(modelDir, 'manifest.json'), 'utf8'));

describe('model worker process', () => {
  let temp: string;
  let images: string[];
  let worker: WorkerUnderTest;
  const dataDir = () => join(temp, 'data');
  const modelDir = () => join(temp, 'model');

  before(() => {
    temp = mkdtempSync(join(tmpdir(), 'worker-test-'));
    images = writeSyntheticPngs(dataDir(), 8);
    writeFileSync(join(dataDir(), 'notes.txt'), 'not an image');
    worker = new WorkerUnderTest();
  });

  after(async () => {
    await worker.stop();
    rmSync(temp, { recursive: true, force: true });
  });

  test('init selects the forced wasm backend and logs the choice', async () => {
    const { result, error } = await worker.request('init', { backend: 'wasm' });
    assert.equal(error, undefined);
    assert.equal(result?.name, 'wasm');
    assert.ok(worker.logs.some((line) => line.includes('backend wasm: selected')));
  });

  test('readScan returns the raw image for the viewer', async () => {
    const { result } = await worker.request('readScan', { file: images[0] });
    assert.deepEqual(result?.image.dims, [IMAGE_WIDTH, IMAGE_HEIGHT, 1]);
    assert.ok(result?.image.data instanceof Float32Array);
    // Pixel (0, 0) and (23, 0) of image 0 lie outside its disc: gray 40 + 6 x.
    assert.equal(result.image.data[0], 40);
    assert.equal(result.image.data[23], 40 + 6 * 23);
  });

  test('train reports progress per step and per epoch and writes the model folder', async () => {
    const { result, error, progress } = await worker.request('train', { folder: dataDir(), modelDir: modelDir(), model: TINY_MODEL, training: TINY_TRAINING });
    assert.equal(error, undefined);
    const { bestEpoch, lossHistory, validationLossHistory } = JSON.parse(readFileSync(join(modelDir(), 'manifest.json'), 'utf8')).training;
    assert.deepEqual(result, {
      modelDir: modelDir(),
      epochsCompleted: 2,
      finalLoss: lossHistory[1],
      images: 8,
      trainImages: 7,
      validationImages: 1,
      bestEpoch,
      bestLoss: validationLossHistory[bestEpoch - 1],
      bestLossOn: 'validation',
      cancelled: false,
      health: result?.health,
    });
    // Two epochs of a tiny model do not reconstruct: the result says so, for the notification.
    assert.match(result?.health?.problems.join() ?? '', /barely reconstructs/);
    assert.ok(Number.isFinite(result?.finalLoss));
    // 8 images in batches of 4: 2 steps per epoch, then the epoch's checkpoint event.
    assert.equal(progress.length, 6);
    assert.deepEqual(
      progress.filter((p) => p.checkpointed).map((p) => p.epoch),
      [1, 2],
    );
    assert.equal(readManifest(modelDir()).training.epochsCompleted, 2);
    assert.ok(worker.logs.some((line) => line.startsWith('Epoch 2/2')));
  });

  test('scoreScan returns maps in the image grid and its scores', async () => {
    const { result, error, progress } = await worker.request('scoreScan', { modelDir: modelDir(), file: images[3] });
    assert.equal(error, undefined);
    assert.ok(result);
    assert.equal(result.file, images[3]);
    for (const grid of [result.image, ...Object.values(result.maps)]) {
      assert.deepEqual(grid.dims, [IMAGE_WIDTH, IMAGE_HEIGHT, 1]);
      assert.ok(grid.data instanceof Float32Array && grid.data.length === IMAGE_WIDTH * IMAGE_HEIGHT);
    }
    assert.deepEqual(Object.keys(result.maps).sort(), ['alignment', 'reconstruction', 'residual', 'ssim', 'ssimAlignment']);
    assert.equal(result.sliceScores.length, 1);
    assert.ok(result.score > 0 && result.score === result.sliceScores[0]);
    assert.deepEqual(progress, [{ done: 1, total: 1 }]);
  });

  test('scoreFolder scores every image, most anomalous first, and lists what it skipped', async () => {
    const { result, progress } = await worker.request('scoreFolder', { modelDir: modelDir(), folder: dataDir() });
    assert.ok(result);
    assert.deepEqual(result.scores.map((s) => s.file).sort(), images);
    const scores = result.scores.map((s) => s.score);
    assert.deepEqual(
      scores,
      [...scores].sort((a, b) => b - a),
    );
    assert.deepEqual(
      result.skipped.map((s) => s.file),
      [join(dataDir(), 'notes.txt')],
    );
    assert.deepEqual(
      progress.map((p) => p.done),
      [1, 2, 3, 4, 5, 6, 7, 8],
    );
  });

  test('a cancelled training ends with "cancelled" and keeps the last completed epoch', async () => {
    const cancelledDir = join(temp, 'cancelled-model');
    let lastCheckpoint = 0;
    const { error, result } = await worker.request(
      'train',
      { folder: dataDir(), modelDir: cancelledDir, model: TINY_MODEL, training: { ...TINY_TRAINING, epochs: 1000 } },
      (p, id) => {
        if (!p.checkpointed) return;
        if (lastCheckpoint === 0) worker.cancel(id);
        lastCheckpoint = p.epoch;
      },
    );
    assert.equal(result, undefined);
    assert.equal(error?.code, 'cancelled');
    assert.ok(lastCheckpoint >= 1 && lastCheckpoint < 1000);
    assert.match(error.message, new RegExp(`keeps epoch ${lastCheckpoint}`));
    assert.equal(readManifest(cancelledDir).training.epochsCompleted, lastCheckpoint);
  });

  test('requests run one at a time in arrival order; a queued request can be cancelled before it starts', async () => {
    const order: string[] = [];
    const training = worker
      .request(
        'train',
        { folder: dataDir(), modelDir: join(temp, 'queued-model'), model: TINY_MODEL, training: { ...TINY_TRAINING, epochs: 1000 } },
        (p, id) => {
          if (p.checkpointed) worker.cancel(id);
        },
      )
      .then((answer) => (order.push('train'), answer));
    const queued = worker.send('scoreScan', { modelDir: modelDir(), file: images[0] });
    worker.cancel(queued.id);
    const scoring = queued.answer.then((answer) => (order.push('score'), answer));
    const [trained, scored] = await Promise.all([training, scoring]);
    assert.deepEqual(order, ['train', 'score']);
    assert.equal(trained.error?.code, 'cancelled');
    assert.equal(scored.error?.code, 'cancelled');
    assert.match(scored.error.message, /before it started/);
  });

  test('a scan the model folder cannot score is "bad-input" naming the folder', async () => {
    const { error } = await worker.request('scoreScan', { modelDir: join(temp, 'no-model'), file: images[0] });
    assert.equal(error?.code, 'bad-input');
    assert.ok(error.message.includes(join(temp, 'no-model')));
  });
});

describe('model worker process without init', () => {
  test('a first job chooses the backend itself; a missing training folder is "bad-input" naming it', async () => {
    const worker = new WorkerUnderTest();
    try {
      const missing = join(tmpdir(), 'no-such-folder-for-worker-test');
      assert.equal(existsSync(missing), false);
      const { error } = await worker.request('train', { folder: missing, modelDir: join(missing, 'model'), model: TINY_MODEL, training: TINY_TRAINING });
      assert.equal(error?.code, 'bad-input');
      assert.ok(error.message.includes(missing), error.message);
      assert.ok(worker.logs.some((line) => line.includes('choosing the backend automatically')));
      assert.ok(worker.logs.some((line) => / selected, /.test(line)));
    } finally {
      await worker.stop();
    }
  });
});
