// The one post-processing stage every anomaly map of a scan goes through, on the assembled volume or
// image (methods.md §10; Baur et al. 2021): polarity, hyperintensity prior, the eroded foreground
// mask, a median filter (3D in volumes). Defaults depend on the modality (modality.ts).
import { FOREGROUND_THRESHOLD } from '../io/dataset';
import { selectPercentile } from '../io/normalize';

/** Which intensity changes count: brighter than expected (FLAIR, T2 lesions), darker (T1), or both. */
export type Polarity = 'positive' | 'negative' | 'both';
export const POLARITIES: readonly Polarity[] = ['positive', 'negative', 'both'];

export interface PostProcessing {
  /** Maps that compare intensities keep only the pixels where the scan is brighter (positive) or darker (negative) than its reconstruction. */
  polarity: Polarity;
  /** Iterations of a 2D cross erosion of each slice's foreground mask; the maps are 0 outside it. 0: the mask as it is (volumes) or none (2D images). */
  erosion: number;
  /** Side of the median filter (odd; 3D in volumes, 2D in images); 0 or 1: off. */
  medianSize: number;
  /** Hyperintensity prior: maps set to 0 where the scan is below this percentile of its foreground (Baur: 90); null: off. */
  hyperintensityPercentile: number | null;
}

export const POST_PROCESSING_OFF: PostProcessing = { polarity: 'both', erosion: 0, medianSize: 0, hyperintensityPercentile: null };

/** What a map is made of, for the polarity: pixel intensities compared with the reconstruction, or latent codes. */
export type MapKind = 'intensity' | 'latent';

/** The scan (normalized, x fastest, then y, then z) and its reconstruction in the same grid. */
export interface PostProcessingInput {
  dims: [number, number, number];
  image: Float32Array;
  reconstruction: Float32Array;
}

/**
 * The pixels a scan's maps are kept on: per slice, the foreground (normalized intensity above
 * FOREGROUND_THRESHOLD) with its holes filled (dark ventricles and CSF lie inside the brain mask:
 * eroding around them would cut away the periventricular lesions), then eroded. A 2D image keeps every
 * pixel unless erosion asks for a mask.
 */
export function scoringMask(input: PostProcessingInput, settings: PostProcessing): Uint8Array {
  const [width, height, depth] = input.dims;
  const mask = new Uint8Array(input.image.length);
  if (depth === 1 && settings.erosion === 0) return mask.fill(1);
  for (let i = 0; i < mask.length; i++) mask[i] = input.image[i] > FOREGROUND_THRESHOLD ? 1 : 0;
  const slice = width * height;
  for (let z = 0; z < depth; z++) {
    const sliceMask = mask.subarray(z * slice, (z + 1) * slice);
    fillHoles(sliceMask, width, height);
    erodeCross(sliceMask, width, height, settings.erosion);
  }
  return mask;
}

/** Sets every background pixel that the image border cannot reach through background (4-connected) to 1, in place. */
export function fillHoles(mask: Uint8Array, width: number, height: number): void {
  const outside = new Uint8Array(mask.length);
  const stack: number[] = [];
  const visit = (i: number) => {
    if (mask[i] === 0 && outside[i] === 0) {
      outside[i] = 1;
      stack.push(i);
    }
  };
  for (let x = 0; x < width; x++) {
    visit(x);
    visit((height - 1) * width + x);
  }
  for (let y = 0; y < height; y++) {
    visit(y * width);
    visit(y * width + width - 1);
  }
  while (stack.length > 0) {
    const i = stack.pop()!;
    const x = i % width;
    if (x > 0) visit(i - 1);
    if (x < width - 1) visit(i + 1);
    if (i >= width) visit(i - width);
    if (i < (height - 1) * width) visit(i + width);
  }
  for (let i = 0; i < mask.length; i++) if (outside[i] === 0) mask[i] = 1;
}

/** What the stage needs of a scan, the same for all its maps, computed once: the mask and the hyperintensity threshold. */
export interface PreparedScan {
  input: PostProcessingInput;
  mask: Uint8Array;
  /** The scan's hyperintensityPercentile inside the mask; -Infinity when the prior is off. */
  hyperintensityThreshold: number;
}

export function prepareScan(input: PostProcessingInput, settings: PostProcessing): PreparedScan {
  const mask = scoringMask(input, settings);
  const p = settings.hyperintensityPercentile;
  return { input, mask, hyperintensityThreshold: p === null ? -Infinity : foregroundPercentile(input.image, mask, p) };
}

/** The post-processed map: polarity (intensity maps only), hyperintensity prior, the mask, then the median filter. */
export function postProcessMap(map: Float32Array, kind: MapKind, scan: PreparedScan, settings: PostProcessing): Float32Array {
  const { input, mask, hyperintensityThreshold } = scan;
  const out = map.slice();
  const floor = minimumInside(map, mask);
  if (kind === 'intensity' && settings.polarity !== 'both') {
    const sign = settings.polarity === 'positive' ? 1 : -1;
    for (let i = 0; i < out.length; i++) if (sign * (input.image[i] - input.reconstruction[i]) <= 0) out[i] = floor;
  }
  for (let i = 0; i < out.length; i++) if (input.image[i] < hyperintensityThreshold) out[i] = floor;
  for (let i = 0; i < out.length; i++) if (mask[i] === 0) out[i] = 0;
  if (settings.medianSize <= 1) return out;
  return medianFilter(out, input.dims, settings.medianSize, mask);
}

/** The smallest value of the map inside the mask (0 when the mask is empty): what "no anomaly" is for this map. */
function minimumInside(map: Float32Array, mask: Uint8Array): number {
  let min = Infinity;
  for (let i = 0; i < map.length; i++) if (mask[i] !== 0 && map[i] < min) min = map[i];
  return Number.isFinite(min) ? min : 0;
}

/** Percentile p of the image inside the mask. */
function foregroundPercentile(image: Float32Array, mask: Uint8Array, p: number): number {
  const values = image.filter((_, i) => mask[i] !== 0);
  return values.length > 0 ? selectPercentile(values, p) : -Infinity;
}

/** Binary erosion with the 2D cross (4-neighbourhood) element, `iterations` times, in place; pixels outside the image count as background. */
export function erodeCross(mask: Uint8Array, width: number, height: number, iterations: number): void {
  for (let n = 0; n < iterations; n++) {
    const before = mask.slice();
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const i = y * width + x;
        if (before[i] === 0) continue;
        const inside = x > 0 && x < width - 1 && y > 0 && y < height - 1;
        if (!inside || !before[i - 1] || !before[i + 1] || !before[i - width] || !before[i + width]) mask[i] = 0;
      }
    }
  }
}

/**
 * Median over a size^3 window (size^2 x 1 in a 2D image) at every pixel of the mask; the window is
 * clipped at the borders (only the pixels inside the grid count). Pixels outside the mask stay 0.
 */
export function medianFilter(map: Float32Array, dims: [number, number, number], size: number, mask: Uint8Array): Float32Array {
  const [width, height, depth] = dims;
  const r = Math.floor(size / 2);
  const rz = depth > 1 ? r : 0;
  const out = new Float32Array(map.length);
  const window = new Float32Array((2 * r + 1) ** 2 * (2 * rz + 1));
  for (let z = 0; z < depth; z++) {
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const i = (z * height + y) * width + x;
        if (mask[i] === 0) continue;
        let n = 0;
        for (let dz = Math.max(0, z - rz); dz <= Math.min(depth - 1, z + rz); dz++) {
          for (let dy = Math.max(0, y - r); dy <= Math.min(height - 1, y + r); dy++) {
            const row = (dz * height + dy) * width;
            for (let dx = Math.max(0, x - r); dx <= Math.min(width - 1, x + r); dx++) window[n++] = map[row + dx];
          }
        }
        out[i] = selectPercentile(window.subarray(0, n), 50);
      }
    }
  }
  return out;
}
