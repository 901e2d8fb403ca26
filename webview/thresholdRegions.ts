// The regions of the thresholded anomaly map: the face-connected components (6-connected in a volume,
// 4-connected in a 2D image; models/metrics/connectedComponents.ts) of the voxels at or above the
// contour's threshold, over the whole grid, each with its size in physical units, its peak value and
// the voxel to jump to. The viewer lists them (regionList.ts) while the threshold contour is shown.

import { labelGridComponents } from '../models/metrics/connectedComponents';
import { valueAt, type ViewerGrid } from './viewerGrid';
import type { Voxel } from './viewerState';
import { voxelVolumeOfAffine, type Affine } from './worldSpace';

export interface ThresholdRegion {
  voxels: number;
  /** The region's size in its measure's unit: voxels * perVoxel. */
  size: number;
  /** The highest map value in the region. */
  peak: number;
  /** The region's voxel nearest its centroid (the centroid itself may lie outside, e.g. in a ring): where a click goes. */
  focus: Voxel;
}

/** What one voxel measures: mL in a volume, mm² in a 2D image with a header, pixels in a 2D image without one (PNG, JPEG). */
export interface RegionMeasure {
  unit: 'mL' | 'mm²' | 'px';
  perVoxel: number;
}

export type RegionOrder = 'size' | 'peak';
export const REGION_ORDERS: readonly RegionOrder[] = ['size', 'peak'];

/**
 * A volume's voxel in mL: |det A| / 1000 with A the affine's 3x3 part, else sx * sy * sz / 1000; a 2D
 * image's pixel in mm², sx * sy, when its header gives a pixel size (an affine), else one pixel.
 */
export function regionMeasure(dims: readonly [number, number, number], spacing: readonly [number, number, number], affine?: Affine): RegionMeasure {
  if (dims[2] > 1) return { unit: 'mL', perVoxel: (affine ? voxelVolumeOfAffine(affine) : spacing[0] * spacing[1] * spacing[2]) / 1000 };
  return affine ? { unit: 'mm²', perVoxel: spacing[0] * spacing[1] } : { unit: 'px', perVoxel: 1 };
}

/**
 * The regions of {map >= threshold}, in raster order of their first voxel. Values are compared in
 * float32, as the contour compares the drawn slice (render.ts), so that the list and the outline agree.
 */
export function thresholdRegions(map: ViewerGrid, threshold: number, measure: RegionMeasure): ThresholdRegion[] {
  const [width, height] = map.dims;
  const values = new Float32Array(map.dims[0] * map.dims[1] * map.dims[2]);
  const mask = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    values[i] = valueAt(map, i);
    mask[i] = values[i] >= threshold ? 1 : 0;
  }
  const { labels, count, sizes } = labelGridComponents(mask, map.dims);
  const sums = new Float64Array(count * 3);
  const peaks = new Float64Array(count).fill(-Infinity);
  const plane = width * height;
  for (let i = 0; i < labels.length; i++) {
    const r = labels[i] - 1;
    if (r < 0) continue;
    sums[r * 3] += i % width;
    sums[r * 3 + 1] += Math.floor(i / width) % height;
    sums[r * 3 + 2] += Math.floor(i / plane);
    if (values[i] > peaks[r]) peaks[r] = values[i];
  }
  // The focus: the region's voxel at the least squared distance to its centroid, sum / voxels.
  const focus = new Int32Array(count);
  const distances = new Float64Array(count).fill(Infinity);
  for (let i = 0; i < labels.length; i++) {
    const r = labels[i] - 1;
    if (r < 0) continue;
    const dx = (i % width) - sums[r * 3] / sizes[r];
    const dy = (Math.floor(i / width) % height) - sums[r * 3 + 1] / sizes[r];
    const dz = Math.floor(i / plane) - sums[r * 3 + 2] / sizes[r];
    const d = dx * dx + dy * dy + dz * dz;
    if (d < distances[r]) [distances[r], focus[r]] = [d, i];
  }
  const coordinates = (i: number): Voxel => [i % width, Math.floor(i / width) % height, Math.floor(i / plane)];
  return sizes.map((voxels, r) => ({ voxels, size: voxels * measure.perVoxel, peak: peaks[r], focus: coordinates(focus[r]) }));
}

/** Regions of at most this many voxels are left out of a volume's list: noise after thresholding (methods.md §10, Baur: 3D components of at most 7 voxels). */
export const SMALL_REGION_VOXELS = 7;

/** The regions of more than `maxVoxels` voxels, and how many smaller ones were left out (small-component removal). */
export function withoutSmallRegions(regions: readonly ThresholdRegion[], maxVoxels: number): { kept: ThresholdRegion[]; removed: number } {
  const kept = regions.filter((region) => region.voxels > maxVoxels);
  return { kept, removed: regions.length - kept.length };
}

/** The regions largest first, or highest peak first (ties: the other key, then the list's order). */
export function sortRegions(regions: readonly ThresholdRegion[], order: RegionOrder): ThresholdRegion[] {
  const bySize = (a: ThresholdRegion, b: ThresholdRegion) => b.voxels - a.voxels;
  const byPeak = (a: ThresholdRegion, b: ThresholdRegion) => b.peak - a.peak;
  const [first, second] = order === 'size' ? [bySize, byPeak] : [byPeak, bySize];
  return [...regions].sort((a, b) => first(a, b) || second(a, b));
}

/** A region's size for the list: "1.23 mL", "45.0 mm²", "12 px" (3 significant digits, whole pixels). */
export function regionSizeText(size: number, unit: RegionMeasure['unit']): string {
  return unit === 'px' ? `${size} px` : `${Number(size.toPrecision(3))} ${unit}`;
}
