// Backend selection (models/runtime/backend.ts) on this project's machines: no tfjs-node, no GPU.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { availableParallelism } from 'node:os';
import { selectBackend } from '../../models/runtime/backend';
import { MAX_WASM_THREADS } from '../../models/runtime/wasmThreadCount';
import { loadWasmBackend } from '../../models/runtime/wasmThreads';

// The package selectBackend loads (the threaded build beside this bundle), loaded now for its stock kernels.
loadWasmBackend();

/** The wasm backend's own BatchMatMul, as loading the package registers it (before selectBackend replaces it). */
const stockWasmBatchMatMul = tf.getKernel(tf.BatchMatMul, 'wasm')!.kernelFunc;

test("'auto' skips the native and WebGPU backends with their reasons and picks wasm", async () => {
  const lines: string[] = [];
  const info = await selectBackend('auto', (line) => lines.push(line));
  assert.equal(info.name, 'wasm');
  assert.equal(info.tfjsName, 'wasm');
  assert.equal(tf.getBackend(), 'wasm');
  assert.deepEqual(
    info.skipped.map((s) => s.name),
    ['tensorflow-gpu', 'tensorflow', 'webgpu'],
  );
  assert.equal(info.skipped[0].reason, '@tensorflow/tfjs-node-gpu is not installed');
  assert.equal(info.skipped[1].reason, '@tensorflow/tfjs-node is not installed');
  // Without the Vulkan loader (this machine) WebGPU is not even tried; with it but without a GPU Dawn finds no adapter.
  assert.match(info.skipped[2].reason, /no Vulkan loader \(libvulkan.so.1\)|no WebGPU adapter/);
  // One line per candidate tried: three skipped, one selected.
  assert.equal(lines.length, 4);
  // Every core's thread by default (the build uses at most 8).
  const threads = Math.min(availableParallelism(), MAX_WASM_THREADS);
  assert.equal(info.threads, threads);
  assert.match(lines[3], new RegExp(`^backend wasm: selected, wasm \\(WebAssembly, CPU, ${threads} threads?\\), SIMD (on|off)$`));
});

test("forcing 'cpu' selects cpu without trying the others", async () => {
  const info = await selectBackend('cpu');
  assert.deepEqual(info, { name: 'cpu', tfjsName: 'cpu', skipped: [] });
  assert.equal(tf.getBackend(), 'cpu');
});

test("forcing 'tensorflow' when tfjs-node is missing throws, naming the backend and the reason", async () => {
  await assert.rejects(selectBackend('tensorflow'), {
    name: 'BadInputError',
    message: "The forced tfjs backend 'tensorflow' cannot be used: @tensorflow/tfjs-node is not installed",
  });
});

test('after selecting wasm, conv2d gradients (stride 1 and 2) give the hand-computed values', async () => {
  await selectBackend('wasm');
  const loss = (stride: number) => (x: tf.Tensor, w: tf.Tensor) => tf.sum(tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, stride, 'valid'));
  const ones = tf.ones([2, 2, 1, 1]) as tf.Tensor4D;

  // 3x3 image 1..9, 2x2 filter of ones, stride 1: dL/dw[p,q] = sum of the 2x2 window at (p,q), e.g.
  // 1+2+4+5 = 12; dL/dx counts the windows covering each pixel.
  const x3 = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
  const [dx3, dw3] = tf.grads(loss(1))([x3, ones]);
  assert.equal(tf.getBackend(), 'wasm');
  assert.deepEqual(Array.from(dw3.dataSync()), [12, 16, 24, 28]);
  assert.deepEqual(Array.from(dx3.dataSync()), [1, 2, 1, 2, 4, 2, 1, 2, 1]);

  // 4x4 image 1..16, stride 2: dL/dw[p,q] = x[p,q] + x[p,q+2] + x[p+2,q] + x[p+2,q+2], e.g. 1+3+9+11 = 24;
  // the windows do not overlap, so dL/dx is all ones.
  const x4 = tf.tensor4d(
    Array.from({ length: 16 }, (_, i) => i + 1),
    [1, 4, 4, 1],
  );
  const [dx4, dw4] = tf.grads(loss(2))([x4, ones]);
  assert.deepEqual(Array.from(dw4.dataSync()), [24, 28, 40, 44]);
  assert.deepEqual(Array.from(dx4.dataSync()), new Array(16).fill(1));
  tf.dispose([ones, x3, dx3, dw3, x4, dx4, dw4]);
});

test('selecting wasm replaces its BatchMatMul by the explicit-transpose kernel (wasmMatMulKernel.ts)', async () => {
  await selectBackend('wasm');
  assert.notEqual(tf.getKernel(tf.BatchMatMul, 'wasm')!.kernelFunc, stockWasmBatchMatMul);
  // a^T b with a = [[1, 2], [3, 4]], b = [[1, 0], [0, 1]]: a^T = [[1, 3], [2, 4]].
  const product = tf.tidy(() =>
    tf
      .matMul(
        tf.tensor2d([
          [1, 2],
          [3, 4],
        ]),
        tf.eye(2),
        true,
        false,
      )
      .dataSync(),
  );
  assert.deepEqual(Array.from(product), [1, 3, 2, 4]);
});
