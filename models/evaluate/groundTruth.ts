// Ground-truth masks as binary grids in the scan's own grid (x fastest, then y, then z, like the maps).
// A pixel is anomalous when its mask value is > 0.5 for NIfTI masks (0/1, or label maps: any label
// >= 1 counts) and for 0/1 images, > 127 for 8-bit (and 16-bit 0/65535) images (magnetic tile's
// 0..255 masks have anti-aliased edges). A 2D mask of another size is resized to the scan (bilinear, then > 0.5).

import { BadInputError } from '../io/errors';
import { resizeBilinear } from '../io/resize';
import { readScan } from '../io/volume';

type Dims = [number, number, number];

/** The value above which a mask pixel is anomalous (see the file comment). */
export function maskThreshold(file: string, values: Float32Array): number {
  if (/\.nii(\.gz)?$/i.test(file)) return 0.5;
  let max = 0;
  for (const value of values) max = Math.max(max, value);
  return max <= 1 ? 0.5 : 127;
}

/** The binary mask (1 = anomalous) of `file` in a scan grid of size `dims`; `log` hears of a 2D mask resized to its scan. */
export async function readMask(file: string, dims: Dims, log?: (line: string) => void): Promise<Uint8Array> {
  const mask = await readScan(file);
  const threshold = maskThreshold(file, mask.data);
  const binary = Uint8Array.from(mask.data, (value) => (value > threshold ? 1 : 0));
  const [width, height, depth] = dims;
  const [maskWidth, maskHeight, maskDepth] = mask.dims;
  if (maskWidth === width && maskHeight === height && maskDepth === depth) return binary;
  if (depth !== 1 || maskDepth !== 1) {
    throw new BadInputError(`${file}: the mask is ${mask.dims.join('x')} but its scan is ${dims.join('x')}`);
  }
  log?.(`note: ${file}: the ${maskWidth}x${maskHeight} mask is resized to its scan's ${width}x${height} pixels`);
  const resized = resizeBilinear(Float32Array.from(binary), maskWidth, maskHeight, width, height);
  return Uint8Array.from(resized, (value) => (value > 0.5 ? 1 : 0));
}
