// Resizing of row-major 2D images (y then x). Both functions use half-pixel centres without corner
// alignment (as tf.image.resizeBilinear with halfPixelCenters), so output pixel x covers the source
// interval [x w / outW, (x + 1) w / outW).
//   resizeBilinear: samples the source at ((x + 0.5) w / outW - 0.5, ...) between its 4 neighbours,
//                   clamped to the image; right for enlarging.
//   resizeImage:    anti-aliased: along an axis that shrinks, each output pixel is the area-weighted
//                   mean of the source pixels its interval covers (every source pixel counts), along
//                   an axis that grows or keeps its size, bilinear as above.

/** One output pixel along an axis: the source indices it reads and their weights (summing to 1). */
interface Taps {
  indices: number[];
  weights: number[];
}

export function resizeBilinear(src: Float32Array, w: number, h: number, outW: number, outH: number): Float32Array {
  return resample(src, w, h, bilinearTaps(w, outW), bilinearTaps(h, outH));
}

export function resizeImage(src: Float32Array, w: number, h: number, outW: number, outH: number): Float32Array {
  const taps = (size: number, outSize: number) => (outSize < size ? areaTaps(size, outSize) : bilinearTaps(size, outSize));
  return resample(src, w, h, taps(w, outW), taps(h, outH));
}

/** Separable resampling: rows along x with xTaps, then columns along y with yTaps. */
function resample(src: Float32Array, w: number, h: number, xTaps: Taps[], yTaps: Taps[]): Float32Array {
  const outW = xTaps.length;
  const outH = yTaps.length;
  if (outW === w && outH === h) return src.slice(); // both tap kinds are the identity at the same size
  const rows = new Float32Array(outW * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < outW; x++) {
      const { indices, weights } = xTaps[x];
      let sum = 0;
      for (let k = 0; k < indices.length; k++) sum += weights[k] * src[y * w + indices[k]];
      rows[y * outW + x] = sum;
    }
  }
  const out = new Float32Array(outW * outH);
  for (let y = 0; y < outH; y++) {
    const { indices, weights } = yTaps[y];
    for (let k = 0; k < indices.length; k++) {
      const row = indices[k] * outW;
      const weight = weights[k];
      for (let x = 0; x < outW; x++) out[y * outW + x] += weight * rows[row + x];
    }
  }
  return out;
}

/** Linear interpolation between the two source pixels around each output centre, clamped to the image. */
function bilinearTaps(size: number, outSize: number): Taps[] {
  return Array.from({ length: outSize }, (_, i) => {
    const centre = Math.min(size - 1, Math.max(0, ((i + 0.5) * size) / outSize - 0.5));
    const low = Math.floor(centre);
    const weight = centre - low;
    const high = Math.min(low + 1, size - 1);
    return weight === 0 || high === low ? { indices: [low], weights: [1] } : { indices: [low, high], weights: [1 - weight, weight] };
  });
}

/** Box filter: output pixel i averages source [i s, (i + 1) s), s = size / outSize, partial pixels weighted by their overlap. */
function areaTaps(size: number, outSize: number): Taps[] {
  const scale = size / outSize;
  return Array.from({ length: outSize }, (_, i) => {
    const start = i * scale;
    const end = (i + 1) * scale;
    const indices: number[] = [];
    const weights: number[] = [];
    for (let j = Math.floor(start); j < Math.min(size, Math.ceil(end)); j++) {
      const overlap = Math.min(end, j + 1) - Math.max(start, j);
      if (overlap > 0) {
        indices.push(j);
        weights.push(overlap / scale);
      }
    }
    return { indices, weights };
  });
}
