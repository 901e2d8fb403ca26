// Anomaly maps and restorations travel from the extension host to the scan viewer quantized to 16 bits:
// half the bytes of float32, kept by the host for reloading webviews and held by the webview, which
// decodes only the slice it draws and the voxel it reads out. Each grid keeps its own value range, so
// a value comes back within half a quantization step, (max - min) / (2 * MAX_CODE), of the original: far
// finer than the 256 colours a map is drawn with, and than the 4 digits the read-out shows.

import type { Grid } from '../models/worker/protocol';

/** A grid of values stored as 16-bit codes: code k < NO_VALUE_CODE stands for min + k * (max - min) / MAX_CODE. */
export interface QuantizedGrid {
  dims: [number, number, number];
  /** One code per voxel, x-fastest like Grid.data. */
  codes: Uint16Array;
  /** The smallest and largest finite values of the grid (both 0 when it has none). */
  min: number;
  max: number;
}

/** The code of `max`; codes 0..MAX_CODE split [min, max] into MAX_CODE equal steps. */
export const MAX_CODE = 65534;
/** The code of a voxel without a finite value (NaN or ±Infinity), decoded as NaN. */
export const NO_VALUE_CODE = 65535;

/** The value one code step stands for: (max - min) / MAX_CODE (0 for a constant grid). */
export function quantizationStep(grid: Pick<QuantizedGrid, 'min' | 'max'>): number {
  return (grid.max - grid.min) / MAX_CODE;
}

/** The finite range of `values`: [0, 0] when none is finite. */
function finiteRange(values: Float32Array): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v < min && v !== -Infinity) min = v; // NaN compares false
    if (v > max && v !== Infinity) max = v;
  }
  return min <= max ? { min, max } : { min: 0, max: 0 };
}

/** A grid quantized into a fresh buffer of its own: code = round((v - min) / step), NO_VALUE_CODE where v is not finite. */
export function quantizeGrid(grid: Grid): QuantizedGrid {
  const { data } = grid;
  const { min, max } = finiteRange(data);
  const step = quantizationStep({ min, max });
  const perStep = step > 0 ? 1 / step : 0;
  const codes = new Uint16Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    // v - v is 0 for finite v only; a Uint16Array stores the integer part, so + 0.5 rounds (the codes are >= 0).
    codes[i] = v - v === 0 ? (v - min) * perStep + 0.5 : NO_VALUE_CODE;
  }
  return { dims: [...grid.dims], codes, min, max };
}

/** The value a code stands for: min + code * step, NaN for NO_VALUE_CODE. */
export function decodeValue(grid: QuantizedGrid, code: number): number {
  return code === NO_VALUE_CODE ? NaN : grid.min + code * quantizationStep(grid);
}

/** Replaces the codes of `grid` held in `values` (e.g. one gathered slice) by the values they stand for, in place; returns `values`. */
export function decodeInPlace(grid: QuantizedGrid, values: Float32Array): Float32Array {
  for (let i = 0; i < values.length; i++) values[i] = decodeValue(grid, values[i]);
  return values;
}
