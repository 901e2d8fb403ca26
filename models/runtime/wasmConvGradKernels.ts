// Convolution-gradient kernels for the wasm backend, rebuilt on its fast (XNNPACK) Conv2D
// (../../docs/ml-runtime.md, "Kernels"). Stock tfjs-backend-wasm has no Conv2DBackpropFilter, so
// training fails, and its Conv2DBackpropInput (also the forward pass of conv2dTranspose) is a slow
// scalar loop. Both gradients are re-expressed as ordinary convolutions. NHWC, dilation 1.
//
// Notation: forward y = conv2d(x, W, stride s, padding top/left), x [B, H, W, ci], W [kh, kw, ci, co],
// dy [B, oh, ow, co]; xpad is x with the forward padding applied.
import * as tf from '@tensorflow/tfjs-core';

type Conv2DInfo = tf.backend_util.Conv2DInfo;
type Shape4D = [number, number, number, number];
type KernelArgs = Parameters<tf.KernelFunc>[0];

const BACKEND = 'wasm';

/** Pads (amount > 0) or crops (amount < 0) rows and columns of an NHWC tensor: [before, after] each. */
function padOrCrop(t: tf.Tensor4D, rows: [number, number], cols: [number, number]): tf.Tensor4D {
  const [batch, height, width, channels] = t.shape;
  const amounts = [...rows, ...cols];
  if (amounts.every((a) => a === 0)) return t;
  const [top, bottom, left, right] = amounts.map((a) => Math.max(a, 0));
  const padded =
    top + bottom + left + right > 0
      ? tf.pad(t, [
          [0, 0],
          [top, bottom],
          [left, right],
          [0, 0],
        ])
      : t;
  if (amounts.every((a) => a >= 0)) return padded;
  const [cropTop, cropBottom, cropLeft, cropRight] = amounts.map((a) => Math.max(-a, 0));
  const keptRows = height + top + bottom - cropTop - cropBottom;
  const keptCols = width + left + right - cropLeft - cropRight;
  return tf.slice(padded, [0, cropTop, cropLeft, 0], [batch, keptRows, keptCols, channels]);
}

/** Moves dy[b, i, j, c] to row i·sh, column j·sw of an [B, oh·sh, ow·sw, C] grid of zeros. */
function insertZeros(dy: tf.Tensor4D, strideHeight: number, strideWidth: number): tf.Tensor4D {
  if (strideHeight === 1 && strideWidth === 1) return dy;
  const [batch, outHeight, outWidth, channels] = dy.shape;
  // A length-1 axis after each spatial axis, padded to the stride, then merged back into it.
  const spaced = tf.pad(tf.reshape(dy, [batch, outHeight, 1, outWidth, 1, channels]), [
    [0, 0],
    [0, 0],
    [0, strideHeight - 1],
    [0, 0],
    [0, strideWidth - 1],
    [0, 0],
  ]);
  return tf.reshape(spaced, [batch, outHeight * strideHeight, outWidth * strideWidth, channels]);
}

/** dW = ∂L/∂W of the forward conv described by `info`, from its input x and output gradient dy. */
function filterGradient(x: tf.Tensor4D, dy: tf.Tensor4D, info: Conv2DInfo): tf.Tensor4D {
  const { filterHeight, filterWidth, inHeight, inWidth, outHeight, outWidth, strideHeight, strideWidth } = info;
  const { top, left } = info.padInfo;
  // The rows/columns the forward conv read: xpad cut to (oh-1)·s + k so the conv below yields exactly kh × kw.
  const xPadded = padOrCrop(
    x,
    [top, (outHeight - 1) * strideHeight + filterHeight - top - inHeight],
    [left, (outWidth - 1) * strideWidth + filterWidth - left - inWidth],
  );
  // dW[p,q,ci,co] = Σ_{b,i,j} xpad[b, i·sh+p, j·sw+q, ci]·dy[b,i,j,co]: conv2d of xpad as [ci,H,W,B] with dy as
  // filter [oh,ow,B,co], stride 1, dilation = forward stride; the result [ci,kh,kw,co] is transposed to [kh,kw,ci,co].
  const xChannelsAsBatch = tf.transpose(xPadded, [3, 1, 2, 0]);
  const dyAsFilter = tf.transpose(dy, [1, 2, 0, 3]);
  const dw = tf.conv2d(xChannelsAsBatch, dyAsFilter, 1, 'valid', 'NHWC', [strideHeight, strideWidth]);
  return tf.transpose(dw, [1, 2, 0, 3]);
}

/**
 * The filters of all phases side by side, [tapsH, tapsW, co, (φh, φw, ci)]: entry [t, u, o, (φh, φw, c)] is
 * W[φh + s·(tapsH - 1 - t), φw + s·(tapsW - 1 - u), c, o] (taps flipped, channels swapped), 0 past W's edge.
 * One gather of W's taps: wasm's StridedSlice per phase cost more than the convolution itself.
 */
function phaseFilterBank(filter: tf.Tensor4D, s: number, tapsH: number, tapsW: number): tf.Tensor4D {
  const [kh, kw, ci, co] = filter.shape;
  // Rows: W's taps (p, q) as [co, ci] blocks, then one zero block for the taps past the edge.
  const taps = tf.concat([tf.reshape(tf.transpose(filter, [0, 1, 3, 2]), [kh * kw, co * ci]), tf.zeros([1, co * ci])]);
  const rows: number[] = [];
  for (let t = 0; t < tapsH; t++) {
    for (let u = 0; u < tapsW; u++) {
      for (let phaseH = 0; phaseH < s; phaseH++) {
        for (let phaseW = 0; phaseW < s; phaseW++) {
          const [p, q] = [phaseH + s * (tapsH - 1 - t), phaseW + s * (tapsW - 1 - u)];
          rows.push(p < kh && q < kw ? p * kw + q : kh * kw);
        }
      }
    }
  }
  const gathered = tf.reshape(tf.gather(taps, tf.tensor1d(rows, 'int32')), [tapsH * tapsW, s * s, co, ci]);
  return tf.reshape(tf.transpose(gathered, [0, 2, 1, 3]), [tapsH, tapsW, co, s * s * ci]);
}

/**
 * dx for an equal stride s > 1 in both axes, by phases (sub-pixel convolution): row r of dx, with R = r + top =
 * q·s + φ, is Σ_m dy[q - m]·W[φ + s·m], a stride-1 convolution of dy with the taps of W of phase φ. All s² phases
 * run as one conv whose output channels are (φh, φw, ci), then a depth-to-space interleaves them. Unlike the
 * zero-inserted form it skips the products with inserted zeros: s² times fewer multiplications.
 */
function inputGradientByPhases(dy: tf.Tensor4D, filter: tf.Tensor4D, info: Conv2DInfo): tf.Tensor4D {
  const { filterHeight, filterWidth, inHeight, inWidth, outHeight, outWidth, strideHeight: s } = info;
  const { top, left } = info.padInfo;
  const [tapsH, tapsW] = [Math.ceil(filterHeight / s), Math.ceil(filterWidth / s)];
  const phaseFilters = phaseFilterBank(filter, s, tapsH, tapsW);
  // q runs over 0 .. out + taps - 2: dy padded by taps - 1 on both sides, 'valid'.
  const dyPadded = tf.pad(dy, [
    [0, 0],
    [tapsH - 1, tapsH - 1],
    [tapsW - 1, tapsW - 1],
    [0, 0],
  ]);
  const phases = tf.conv2d(dyPadded, phaseFilters, 1, 'valid'); // [B, qh, qw, s·s·ci]
  // Depth to space (row R = q·s + φ), as a 4D transpose: wasm's DepthToSpace kernel is several times slower.
  const [batch, qh, qw] = phases.shape;
  const ci = info.inChannels;
  const rowPhaseFirst = tf.transpose(tf.reshape(phases, [batch * qh, qw, s, s * ci]), [0, 2, 1, 3]); // [B·qh, φh, qw, (φw, ci)]
  const full = tf.reshape(rowPhaseFirst, [batch, qh * s, qw * s, ci]) as tf.Tensor4D;
  const [rows, cols] = [(outHeight + tapsH - 1) * s, (outWidth + tapsW - 1) * s];
  return padOrCrop(full, [-top, inHeight + top - rows], [-left, inWidth + left - cols]);
}

/** dx = ∂L/∂x of the forward conv described by `info`, from the filter W and output gradient dy. */
function inputGradient(dy: tf.Tensor4D, filter: tf.Tensor4D, info: Conv2DInfo): tf.Tensor4D {
  const { filterHeight, filterWidth, inHeight, inWidth, outHeight, outWidth, strideHeight, strideWidth } = info;
  if (strideHeight === strideWidth && strideHeight > 1) return inputGradientByPhases(dy, filter, info);
  const { top, left } = info.padInfo;
  const spread = insertZeros(dy, strideHeight, strideWidth);
  // dx[r] = Σ_p dyz[r + top - p]·W[p]: a 'valid' conv of zero-inserted dy padded by k-1-top before (which crops the
  // forward padding's offset) and by in + top - o·s after (so that exactly `in` rows come out) ...
  const dyPadded = padOrCrop(
    spread,
    [filterHeight - 1 - top, inHeight + top - outHeight * strideHeight],
    [filterWidth - 1 - left, inWidth + left - outWidth * strideWidth],
  );
  // ... with W flipped in space and its channel axes swapped: [kh, kw, co, ci].
  const flippedFilter = tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]);
  return tf.conv2d(dyPadded, flippedFilter, 1, 'valid');
}

/** The Conv2DInfo of the forward convolution whose gradient a kernel computes; only NHWC is supported. */
function forwardConvInfo(
  kernelName: string,
  inShape: Shape4D,
  filterShape: Shape4D,
  attrs: tf.Conv2DBackpropFilterAttrs | tf.Conv2DBackpropInputAttrs,
): Conv2DInfo {
  if (attrs.dataFormat !== 'NHWC') {
    throw new Error(`wasmConvGradKernels: ${kernelName} supports only dataFormat 'NHWC', got '${attrs.dataFormat}'`);
  }
  return tf.backend_util.computeConv2DInfo(inShape, filterShape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
}

/** A Tensor sharing a kernel input's data; the backend's reference count is raised so disposing it keeps the input. */
function viewOf(input: tf.TensorInfo | undefined, backend: tf.KernelBackend): tf.Tensor4D {
  backend.incRef(input!.dataId);
  return tf.engine().makeTensorFromTensorInfo(input!, backend) as tf.Tensor4D;
}

/** Runs `compute` on views of the kernel's inputs; returns its result with the views and intermediates disposed. */
function computeOnInputs(inputs: (tf.TensorInfo | undefined)[], backend: tf.KernelBackend, compute: (tensors: tf.Tensor4D[]) => tf.Tensor4D): tf.TensorInfo {
  // Inside a kernel the gradient tape is off, so these ops are plain wasm computations; the engine takes the
  // returned Tensor as the kernel's output as it is.
  return tf.tidy(() => compute(inputs.map((input) => viewOf(input, backend))));
}

function conv2dBackpropFilter({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const { x, dy } = inputs as tf.Conv2DBackpropFilterInputs;
  const convAttrs = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  const info = forwardConvInfo(tf.Conv2DBackpropFilter, x!.shape as Shape4D, convAttrs.filterShape, convAttrs);
  return computeOnInputs([x, dy], backend as tf.KernelBackend, ([xView, dyView]) => filterGradient(xView, dyView, info));
}

function conv2dBackpropInput({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const { dy, filter } = inputs as tf.Conv2DBackpropInputInputs;
  const convAttrs = attrs as unknown as tf.Conv2DBackpropInputAttrs;
  const info = forwardConvInfo(tf.Conv2DBackpropInput, convAttrs.inputShape, filter!.shape as Shape4D, convAttrs);
  return computeOnInputs([dy, filter], backend as tf.KernelBackend, ([dyView, filterView]) => inputGradient(dyView, filterView, info));
}

const REBUILT_KERNELS: tf.KernelConfig[] = [
  { kernelName: tf.Conv2DBackpropFilter, backendName: BACKEND, kernelFunc: conv2dBackpropFilter },
  { kernelName: tf.Conv2DBackpropInput, backendName: BACKEND, kernelFunc: conv2dBackpropInput },
];

/**
 * Registers the rebuilt Conv2DBackpropFilter and Conv2DBackpropInput for the 'wasm' backend, replacing the
 * stock ones. Call after '@tensorflow/tfjs-backend-wasm' is loaded (loading it registers its own kernels).
 * Safe to call more than once.
 */
export function registerWasmConvGradKernels(): void {
  if (tf.getKernel(tf.Conv2D, BACKEND) === undefined) {
    throw new Error('wasmConvGradKernels: the wasm Conv2D kernel is not registered; load @tensorflow/tfjs-backend-wasm first');
  }
  for (const config of REBUILT_KERNELS) {
    const registered = tf.getKernel(config.kernelName, BACKEND);
    if (registered?.kernelFunc === config.kernelFunc) continue;
    if (registered !== undefined) tf.unregisterKernel(config.kernelName, BACKEND);
    tf.registerKernel(config);
  }
}
