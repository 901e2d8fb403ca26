// The rebuilt wasm conv-gradient kernels (models/runtime/wasmConvGradKernels.ts) against tfjs' own cpu
// kernels on random shapes: the gradients of conv2d w.r.t. its input and its filter, and conv2dTranspose
// (whose forward pass is Conv2DBackpropInput).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { registerGradients } from '../../models/runtime/gradients';
import { registerWasmConvGradKernels } from '../../models/runtime/wasmConvGradKernels';
import { SeededRandom } from '../../models/vqvae/seededRandom';

type Shape4D = [number, number, number, number];
type Padding = 'same' | 'valid' | tf.backend_util.ExplicitPadding;

/** One convolution with its data as plain arrays, so that it can be rebuilt on each backend. */
interface ConvCase {
  xShape: Shape4D;
  filterShape: Shape4D;
  stride: number;
  pad: Padding;
  x: number[];
  filter: number[];
  /** The upstream gradient, of the conv's output shape dyShape. */
  dy: number[];
  dyShape: Shape4D;
}

function randomConvCase(seed: number, stride: number, pad: Padding): ConvCase {
  const random = new SeededRandom(seed, 'wasm-kernels-test');
  const between = (low: number, high: number) => low + random.int(high - low + 1);
  const xShape: Shape4D = [between(1, 3), between(5, 12), between(5, 12), between(1, 5)];
  const kernel = between(1, 4);
  const filterShape: Shape4D = [kernel, kernel, xShape[3], between(1, 5)];
  const dyShape = tf.backend_util.computeConv2DInfo(xShape, filterShape, stride, 1, pad).outShape;
  const normals = (shape: number[]) => Array.from({ length: tf.util.sizeFromShape(shape) }, () => random.normal());
  const [x, filter, dy] = [normals(xShape), normals(filterShape), normals(dyShape)];
  return { xShape, filterShape, stride, pad, x, filter, dy, dyShape };
}

interface ConvResults {
  dx: Float32Array;
  dFilter: Float32Array;
  transposed: Float32Array;
}

/** Runs the case on the current backend; asserts that no tensor is left behind. */
function runConvCase(c: ConvCase): ConvResults {
  const tensorsBefore = tf.memory().numTensors;
  const results = tf.tidy(() => {
    const x = tf.tensor4d(c.x, c.xShape);
    const filter = tf.tensor4d(c.filter, c.filterShape);
    const dy = tf.tensor4d(c.dy, c.dyShape);
    const conv = (input: tf.Tensor, weights: tf.Tensor) => tf.conv2d(input as tf.Tensor4D, weights as tf.Tensor4D, c.stride, c.pad);
    const [dx, dFilter] = tf.grads(conv)([x, filter], dy);
    const transposed = tf.conv2dTranspose(dy, filter, c.xShape, c.stride, c.pad);
    return {
      dx: dx.dataSync() as Float32Array,
      dFilter: dFilter.dataSync() as Float32Array,
      transposed: transposed.dataSync() as Float32Array,
    };
  });
  assert.equal(tf.memory().numTensors, tensorsBefore, `${tf.getBackend()} left tensors behind`);
  return results;
}

/** max |actual - expected| / max |expected|. */
function relativeError(actual: Float32Array, expected: Float32Array): number {
  assert.equal(actual.length, expected.length);
  let maxDiff = 0;
  let maxExpected = 0;
  expected.forEach((e, i) => {
    maxDiff = Math.max(maxDiff, Math.abs(actual[i] - e));
    maxExpected = Math.max(maxExpected, Math.abs(e));
  });
  return maxDiff / maxExpected;
}

test('stock tfjs-backend-wasm has no Conv2DBackpropFilter (why the kernels are rebuilt)', () => {
  assert.equal(tf.getKernel(tf.Conv2DBackpropFilter, 'wasm'), undefined);
});

test('registerWasmConvGradKernels installs both kernels and is safe to call twice', () => {
  const stockBackpropInput = tf.getKernel(tf.Conv2DBackpropInput, 'wasm');
  registerWasmConvGradKernels();
  const filterKernel = tf.getKernel(tf.Conv2DBackpropFilter, 'wasm');
  const inputKernel = tf.getKernel(tf.Conv2DBackpropInput, 'wasm');
  assert.ok(filterKernel);
  assert.notEqual(inputKernel, stockBackpropInput);
  registerWasmConvGradKernels();
  assert.equal(tf.getKernel(tf.Conv2DBackpropFilter, 'wasm'), filterKernel);
  assert.equal(tf.getKernel(tf.Conv2DBackpropInput, 'wasm'), inputKernel);
});

test('rebuilt kernels match the cpu kernels on random shapes, strides 1 to 3, all paddings', async () => {
  registerGradients();
  // tfjs then also checks, after every kernel, that it leaked no tensor data.
  tf.env().set('IS_TEST', true);
  const cases: ConvCase[] = [];
  // Strides 2 and 3 take the phase (sub-pixel) path of the input gradient, kernels smaller than the stride included.
  for (const stride of [1, 2, 3]) {
    for (const pad of ['same', 'valid'] as const) {
      for (const seed of [1, 2, 3]) cases.push(randomConvCase(seed * 10 + stride, stride, pad));
    }
  }
  // Explicit padding, including more than kernel - 1 rows (the filter gradient then crops the padded input).
  cases.push(
    randomConvCase(7, 2, [
      [0, 0],
      [1, 2],
      [2, 0],
      [0, 0],
    ]),
  );
  cases.push(
    randomConvCase(8, 1, [
      [0, 0],
      [5, 0],
      [0, 5],
      [0, 0],
    ]),
  );
  cases.push(
    randomConvCase(9, 3, [
      [0, 0],
      [0, 4],
      [3, 1],
      [0, 0],
    ]),
  );

  for (const c of cases) {
    await tf.setBackend('cpu');
    const expected = runConvCase(c);
    await tf.setBackend('wasm');
    const actual = runConvCase(c);
    const label = `x ${c.xShape}, filter ${c.filterShape}, stride ${c.stride}, pad ${JSON.stringify(c.pad)}`;
    for (const key of ['dx', 'dFilter', 'transposed'] as const) {
      const error = relativeError(actual[key], expected[key]);
      assert.ok(error < 1e-4, `${key} differs from cpu by ${error} (relative) for ${label}`);
    }
  }
});

test('the rebuilt kernels reject NCHW data with a clear error', async () => {
  await tf.setBackend('wasm');
  const dy = tf.zeros([1, 2, 4, 4]);
  const filter = tf.zeros([3, 3, 2, 2]);
  const attrs = { strides: 1, pad: 'same', dataFormat: 'NCHW', inputShape: [1, 2, 4, 4] };
  assert.throws(() => tf.engine().runKernel(tf.Conv2DBackpropInput, { dy, filter }, attrs), /only dataFormat 'NHWC'/);
  tf.dispose([dy, filter]);
});
