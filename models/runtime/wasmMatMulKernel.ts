// A BatchMatMul kernel for the wasm backend that transposes its operands explicitly. The stock wasm
// BatchMatMul is 10 to 60 times slower with the transposeA / transposeB flags than without them
// (../../docs/ml-runtime.md; [2048,128] x [128,512]: 25 ms plain, 300 ms transposeB, 1500 ms transposeA),
// while wasm's Transpose is fast. Every matMul gradient (dA = dy b^T, dB = a^T dy) uses the flags, so
// training (the quantizer's z e^T and one-hot lookup, the prior's dense layers) paid that price.
// Here a flagged product becomes transpose(s) + the stock kernel without flags.
// (_FusedMatMul keeps its stock kernel: no model code calls tf.fused.matMul.)
import * as tf from '@tensorflow/tfjs-core';

type KernelArgs = Parameters<tf.KernelFunc>[0];

const BACKEND = 'wasm';

/** The stock kernel, kept when ours replaces it; ours calls it for the flag-free product. */
let stockBatchMatMul: tf.KernelFunc | undefined;

/** A Tensor sharing a kernel input's data; the backend's reference count is raised so disposing it keeps the input. */
function viewOf(input: tf.TensorInfo, backend: tf.KernelBackend): tf.Tensor {
  backend.incRef(input.dataId);
  return tf.engine().makeTensorFromTensorInfo(input, backend);
}

/** Swaps the last two axes: [..., r, c] -> [..., c, r]. */
function transposeLastTwo(t: tf.Tensor): tf.Tensor {
  const axes = t.shape.map((_, i) => i);
  axes.splice(-2, 2, t.rank - 1, t.rank - 2);
  return tf.transpose(t, axes);
}

/** op(a) op(b) with op = transpose where the flag is set, computed by the stock kernel on explicit transposes. */
function batchMatMul({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const { a, b } = inputs as tf.BatchMatMulInputs;
  const { transposeA, transposeB } = attrs as unknown as tf.BatchMatMulAttrs;
  const stock = stockBatchMatMul!;
  if (!transposeA && !transposeB) return stock({ inputs, backend, attrs }) as tf.TensorInfo;
  const wasm = backend as tf.KernelBackend;
  // Inside a kernel the gradient tape is off: these are plain wasm ops, disposed before returning.
  const operands = [a!, b!].map((input, i) => {
    const view = viewOf(input, wasm);
    if (!(i === 0 ? transposeA : transposeB)) return view;
    const transposed = transposeLastTwo(view);
    view.dispose();
    return transposed;
  });
  try {
    const plainAttrs = { transposeA: false, transposeB: false } as unknown as tf.NamedAttrMap;
    return stock({ inputs: { a: operands[0], b: operands[1] }, backend, attrs: plainAttrs }) as tf.TensorInfo;
  } finally {
    tf.dispose(operands);
  }
}

/**
 * Replaces the wasm backend's BatchMatMul by the explicit-transpose one. Call after
 * '@tensorflow/tfjs-backend-wasm' is loaded (loading it registers the stock kernel). Safe to call more than once.
 */
export function registerWasmMatMulKernel(): void {
  const registered = tf.getKernel(tf.BatchMatMul, BACKEND);
  if (registered === undefined) {
    throw new Error('wasmMatMulKernel: the wasm BatchMatMul kernel is not registered; load @tensorflow/tfjs-backend-wasm first');
  }
  if (registered.kernelFunc === batchMatMul) return;
  stockBatchMatMul = registered.kernelFunc;
  tf.unregisterKernel(tf.BatchMatMul, BACKEND);
  // The stock setupFunc stays: the wasm backend runs it at initialization to bind its C++ function.
  tf.registerKernel({ ...registered, kernelFunc: batchMatMul });
}
