// Data augmentation of one training image (LSR §4: random scale and rotation, brightness, contrast and
// Gaussian noise; plus left-right flips). Pure: the same image, settings and generator state give the
// same result. Geometry first (one inverse mapping, bilinear, edges clamped), then intensity, then the
// result is clipped to [0, 1], the range of the model's input.
import type { AugmentConfig } from './config';
import type { SeededRandom } from './seededRandom';

/** A value drawn uniformly from [-limit, limit]; no draw (and 0) when the limit is 0, so that switched-off settings use no randomness. */
function symmetric(random: SeededRandom, limit: number): number {
  return limit > 0 ? (2 * random.next() - 1) * limit : 0;
}

/** Bilinear sample of the size x size image at (x, y) in pixel coordinates, edges clamped. */
function sampleBilinear(image: Float32Array, size: number, x: number, y: number): number {
  const clamp = (v: number): number => Math.min(size - 1, Math.max(0, v));
  const [cx, cy] = [clamp(x), clamp(y)];
  const [x0, y0] = [Math.floor(cx), Math.floor(cy)];
  const [x1, y1] = [Math.min(size - 1, x0 + 1), Math.min(size - 1, y0 + 1)];
  const [fx, fy] = [cx - x0, cy - y0];
  const top = image[y0 * size + x0] * (1 - fx) + image[y0 * size + x1] * fx;
  const bottom = image[y1 * size + x0] * (1 - fx) + image[y1 * size + x1] * fx;
  return top * (1 - fy) + bottom * fy;
}

/** Mirror left-right, rotate by `degrees` and zoom by `zoom` about the image centre. */
function transformGeometry(image: Float32Array, size: number, flip: boolean, degrees: number, zoom: number): Float32Array {
  if (!flip && degrees === 0 && zoom === 1) return image.slice();
  const out = new Float32Array(size * size);
  const centre = (size - 1) / 2;
  const [cos, sin] = [Math.cos((degrees * Math.PI) / 180), Math.sin((degrees * Math.PI) / 180)];
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      // Inverse mapping: the source point that lands on (x, y).
      const dx = ((flip ? size - 1 - x : x) - centre) / zoom;
      const dy = (y - centre) / zoom;
      out[y * size + x] = sampleBilinear(image, size, centre + cos * dx + sin * dy, centre - sin * dx + cos * dy);
    }
  }
  return out;
}

/** An augmented copy of a size x size image with values in [0, 1]. */
export function augmentImage(image: Float32Array, size: number, settings: AugmentConfig, random: SeededRandom): Float32Array {
  const flip = settings.flip && random.next() < 0.5;
  const degrees = symmetric(random, settings.rotationDegrees);
  const zoom = 1 + symmetric(random, settings.scale);
  const out = transformGeometry(image, size, flip, degrees, zoom);

  const contrast = 1 + symmetric(random, settings.contrast);
  const brightness = symmetric(random, settings.brightness);
  const mean = contrast === 1 ? 0 : out.reduce((sum, v) => sum + v, 0) / out.length;
  for (let i = 0; i < out.length; i++) {
    const noise = settings.noise > 0 ? settings.noise * random.normal() : 0;
    out[i] = Math.min(1, Math.max(0, (out[i] - mean) * contrast + mean + brightness + noise));
  }
  return out;
}
