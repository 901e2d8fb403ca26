// Bilinear resizing of a row-major 2D image (y then x), with half-pixel centres and no corner
// alignment (as tf.image.resizeBilinear with halfPixelCenters): output pixel (x, y) samples the source
// at ((x + 0.5) w / outW - 0.5, (y + 0.5) h / outH - 0.5), clamped to the image.

export function resizeBilinear(src: Float32Array, w: number, h: number, outW: number, outH: number): Float32Array {
  if (outW === w && outH === h) return src.slice();
  const xs = samplePositions(w, outW);
  const ys = samplePositions(h, outH);
  const out = new Float32Array(outW * outH);
  for (let y = 0; y < outH; y++) {
    const { low: y0, high: y1, weight: wy } = ys[y];
    for (let x = 0; x < outW; x++) {
      const { low: x0, high: x1, weight: wx } = xs[x];
      const top = src[y0 * w + x0] + wx * (src[y0 * w + x1] - src[y0 * w + x0]);
      const bottom = src[y1 * w + x0] + wx * (src[y1 * w + x1] - src[y1 * w + x0]);
      out[y * outW + x] = top + wy * (bottom - top);
    }
  }
  return out;
}

/** For each output index along one axis: the two source indices around its centre and the weight of the second. */
function samplePositions(size: number, outSize: number): { low: number; high: number; weight: number }[] {
  return Array.from({ length: outSize }, (_, i) => {
    const centre = Math.min(size - 1, Math.max(0, ((i + 0.5) * size) / outSize - 0.5));
    const low = Math.floor(centre);
    return { low, high: Math.min(low + 1, size - 1), weight: centre - low };
  });
}
