// The wasm backend on several threads (models/runtime/wasmThreads.ts, the build of scripts/patchWasmBackend.mjs):
// the thread count chosen, the count the backend reports and logs, and a conv + matMul forward pass with its
// gradient step giving the same numbers on 1 and on 2 threads.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../models/runtime/backend';
import { describeBackend } from '../../models/runtime/describeBackend';
import { MAX_WASM_THREADS, wasmThreadCount } from '../../models/runtime/wasmThreadCount';
import { SeededRandom } from '../../models/vqvae/seededRandom';

test('the thread count: every core by default or for 0, the request otherwise, within 1..8', () => {
  assert.equal(wasmThreadCount(undefined, 2), 2);
  assert.equal(wasmThreadCount(0, 6), 6);
  assert.equal(wasmThreadCount(3, 16), 3);
  assert.equal(wasmThreadCount(2.7, 16), 2);
  assert.equal(wasmThreadCount(0, 32), MAX_WASM_THREADS);
  assert.equal(wasmThreadCount(12, 32), MAX_WASM_THREADS);
  assert.equal(wasmThreadCount(-1, 1), 1);
});

/** The loss and its gradients of a small network: conv2d 3x3 -> relu -> dense, squared error against `target`. */
function forwardAndGradients(): Float32Array[] {
  const random = new SeededRandom(11, 'wasm-threads-test');
  const normals = (shape: number[]) =>
    tf.tensor(
      Array.from({ length: tf.util.sizeFromShape(shape) }, () => random.normal()),
      shape,
    );
  return tf.tidy(() => {
    const x = normals([4, 16, 16, 8]) as tf.Tensor4D;
    const filter = normals([3, 3, 8, 16]) as tf.Tensor4D;
    const dense = normals([16 * 16 * 16, 32]) as tf.Tensor2D;
    const target = normals([4, 32]);
    const network = (f: tf.Tensor, w: tf.Tensor) => {
      const features = tf.reshape(tf.relu(tf.conv2d(x, f as tf.Tensor4D, 1, 'same')), [4, -1]) as tf.Tensor2D;
      return tf.mean(tf.square(tf.sub(tf.matMul(features, w as tf.Tensor2D), target)));
    };
    const { value, grads } = tf.valueAndGrads(network)([filter, dense]);
    // The gradient step's result, as an optimizer would apply it.
    const stepped = tf.sub(filter, tf.mul(0.01, grads[0]));
    return [value, ...grads, stepped].map((t) => t.dataSync() as Float32Array);
  });
}

/** The largest |x - y| relative to the largest |y|. */
function relativeError(actual: Float32Array, expected: Float32Array): number {
  assert.equal(actual.length, expected.length);
  const scale = expected.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  return actual.reduce((m, v, i) => Math.max(m, Math.abs(v - expected[i])), 0) / scale;
}

test('on 2 threads the backend reports and logs 2 threads, and computes what 1 thread computes', async () => {
  const lines: string[] = [];
  const two = await selectBackend('wasm', (line) => lines.push(line), { wasmThreads: 2 });
  assert.equal(two.threads, 2);
  assert.equal(describeBackend(two), 'wasm (WebAssembly, CPU, 2 threads)');
  assert.match(lines.at(-1)!, /^backend wasm: selected, wasm \(WebAssembly, CPU, 2 threads\), SIMD on$/);
  const onTwo = forwardAndGradients();

  const one = await selectBackend('wasm', () => {}, { wasmThreads: 1 });
  assert.equal(one.threads, 1);
  assert.equal(describeBackend(one), 'wasm (WebAssembly, CPU, 1 thread)');
  const onOne = forwardAndGradients();

  assert.ok(onOne[0][0] > 0, 'the loss is a positive number');
  for (const [i, name] of ['loss', 'filter gradient', 'dense gradient', 'stepped filter'].entries()) {
    assert.ok(relativeError(onTwo[i], onOne[i]) < 1e-5, `${name}: 2 threads differ from 1 by ${relativeError(onTwo[i], onOne[i])}`);
  }
  // Back on 2 threads: the backend restarts with them.
  assert.equal((await selectBackend('wasm', () => {}, { wasmThreads: 2 })).threads, 2);
  assert.deepEqual(forwardAndGradients()[1], onTwo[1]);
});
