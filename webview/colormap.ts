// Colour lookup tables (as in niivue): a value in [0, 1] maps to one of 256 RGBA entries.

/** 256 RGBA entries (1024 bytes); entry i is the colour of the value i / 255. */
export type ColorLut = Uint8ClampedArray;

/** A colour at a position of the [0, 1] value range; colours between two points are interpolated linearly. */
interface ControlPoint {
  at: number;
  rgb: [number, number, number];
}

function lutFromControlPoints(points: ControlPoint[]): ColorLut {
  const lut = new Uint8ClampedArray(256 * 4);
  for (let i = 0; i < 256; i++) {
    const v = i / 255;
    const upper = points.findIndex((p) => p.at >= v);
    const b = points[upper];
    const a = points[Math.max(0, upper - 1)];
    const t = b.at === a.at ? 1 : (v - a.at) / (b.at - a.at);
    for (let c = 0; c < 3; c++) lut[i * 4 + c] = Math.round(a.rgb[c] + t * (b.rgb[c] - a.rgb[c]));
    lut[i * 4 + 3] = 255;
  }
  return lut;
}

/** Gray: v -> (v, v, v). */
export const GRAY: ColorLut = lutFromControlPoints([
  { at: 0, rgb: [0, 0, 0] },
  { at: 1, rgb: [255, 255, 255] },
]);

/** Hot (MATLAB / niivue "hot"): red rises over [0, 3/8], then green over [3/8, 3/4], then blue over [3/4, 1]. */
export const HOT: ColorLut = lutFromControlPoints([
  { at: 0, rgb: [0, 0, 0] },
  { at: 3 / 8, rgb: [255, 0, 0] },
  { at: 3 / 4, rgb: [255, 255, 0] },
  { at: 1, rgb: [255, 255, 255] },
]);

/** The entry of a value in [0, 1] (clamped): round(v * 255). */
export function lutIndex(v: number): number {
  return Math.round(Math.min(1, Math.max(0, v)) * 255);
}
