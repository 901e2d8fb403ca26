// The explicit-transpose wasm BatchMatMul (models/runtime/wasmMatMulKernel.ts) against tfjs' cpu kernel:
// random 2D and batched 3D products in all four transpose combinations, and the gradient of a matMul.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { registerGradients } from '../../models/runtime/gradients';
import { registerWasmMatMulKernel } from '../../models/runtime/wasmMatMulKernel';
import { SeededRandom } from '../../models/vqvae/seededRandom';

const random = new SeededRandom(7, 'wasm-matmul-test');
const between = (low: number, high: number) => low + random.int(high - low + 1);
const normals = (shape: number[]) => Array.from({ length: tf.util.sizeFromShape(shape) }, () => random.normal());

/** The largest |x - y| relative to the largest |y|. */
function relativeError(actual: Float32Array, expected: Float32Array): number {
  assert.equal(actual.length, expected.length);
  const scale = Math.max(...expected.map(Math.abs));
  return Math.max(...actual.map((x, i) => Math.abs(x - expected[i]))) / scale;
}

/** Runs `compute` on fresh tensors on one backend; asserts that it leaves no tensor behind. */
async function on(backend: string, compute: () => tf.Tensor): Promise<Float32Array> {
  await tf.setBackend(backend);
  const before = tf.memory().numTensors;
  const result = tf.tidy(compute);
  const values = result.dataSync() as Float32Array;
  result.dispose();
  assert.equal(tf.memory().numTensors, before, `${backend} left tensors behind`);
  return values;
}

test.before(async () => {
  registerGradients();
  const stock = tf.getKernel(tf.BatchMatMul, 'wasm')!.kernelFunc;
  registerWasmMatMulKernel();
  const override = tf.getKernel(tf.BatchMatMul, 'wasm')!.kernelFunc;
  assert.notEqual(override, stock);
  registerWasmMatMulKernel(); // a second call keeps the one override (no kernel calling itself)
  assert.equal(tf.getKernel(tf.BatchMatMul, 'wasm')!.kernelFunc, override);
  await tf.setBackend('wasm');
});

for (const batchShape of [[], [3]]) {
  for (const [transposeA, transposeB] of [
    [false, false],
    [false, true],
    [true, false],
    [true, true],
  ]) {
    test(`${batchShape.length + 2}D matMul with transposeA=${transposeA}, transposeB=${transposeB} matches cpu`, async () => {
      const [m, k, n] = [between(1, 40), between(1, 40), between(1, 40)];
      const aShape = [...batchShape, ...(transposeA ? [k, m] : [m, k])];
      const bShape = [...batchShape, ...(transposeB ? [n, k] : [k, n])];
      const [a, b] = [normals(aShape), normals(bShape)];
      const product = () => tf.matMul(tf.tensor(a, aShape), tf.tensor(b, bShape), transposeA, transposeB);
      const [wasm, cpu] = [await on('wasm', product), await on('cpu', product)];
      assert.ok(relativeError(wasm, cpu) < 1e-4, `relative error ${relativeError(wasm, cpu)}`);
      assert.equal(wasm.length, tf.util.sizeFromShape([...batchShape, m, n]));
    });
  }
}

test('a 2x2 product with both operands transposed gives the hand-computed values', async () => {
  // a^T b^T with a = [[1, 2], [3, 4]], b = [[5, 6], [7, 8]]: [[1, 3], [2, 4]] · [[5, 7], [6, 8]] = [[23, 31], [34, 46]].
  const values = await on('wasm', () =>
    tf.matMul(
      tf.tensor2d([
        [1, 2],
        [3, 4],
      ]),
      tf.tensor2d([
        [5, 6],
        [7, 8],
      ]),
      true,
      true,
    ),
  );
  assert.deepEqual(Array.from(values), [23, 31, 34, 46]);
});

test('the gradients of a batched matMul (which use the transposed forms) match cpu', async () => {
  const [aShape, bShape, yShape] = [
    [2, 5, 7],
    [2, 7, 3],
    [2, 5, 3],
  ];
  const [a, b, dy] = [normals(aShape), normals(bShape), normals(yShape)];
  const gradients = (which: 0 | 1) => () => {
    const f = (x: tf.Tensor, y: tf.Tensor) => tf.matMul(x, y);
    return tf.grads(f)([tf.tensor(a, aShape), tf.tensor(b, bShape)], tf.tensor(dy, yShape))[which];
  };
  for (const which of [0, 1] as const) {
    const [wasm, cpu] = [await on('wasm', gradients(which)), await on('cpu', gradients(which))];
    assert.ok(relativeError(wasm, cpu) < 1e-4, `gradient ${which}: relative error ${relativeError(wasm, cpu)}`);
  }
});
