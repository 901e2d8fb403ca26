// Colour lookup tables (as in niivue): a value in [0, 1] maps to one of 256 RGBA entries, entry i
// holding the colour of the value i / 255 (matplotlib samples its colormaps at the same N = 256 points).

/** 256 RGBA entries (1024 bytes); entry i is the colour of the value i / 255. */
export type ColorLut = Uint8ClampedArray;

export type ColormapName = 'gray' | 'hot' | 'viridis' | 'jet';

/** A value at a position of the [0, 1] range; values between two points are interpolated linearly. */
type Knot = [at: number, value: number];

/** The piecewise-linear function through the knots (sorted by position, first at 0, last at 1) at v. */
function interpolate(knots: readonly Knot[], v: number): number {
  const upper = knots.findIndex(([at]) => at >= v);
  const [bAt, bValue] = knots[upper];
  const [aAt, aValue] = knots[Math.max(0, upper - 1)];
  const t = bAt === aAt ? 1 : (v - aAt) / (bAt - aAt);
  return aValue + t * (bValue - aValue);
}

/** A LUT from one knot list per channel (values 0..255). */
function lutFromChannels(red: readonly Knot[], green: readonly Knot[], blue: readonly Knot[]): ColorLut {
  const lut = new Uint8ClampedArray(256 * 4);
  for (let i = 0; i < 256; i++) {
    const v = i / 255;
    [red, green, blue].forEach((knots, c) => (lut[i * 4 + c] = Math.round(interpolate(knots, v))));
    lut[i * 4 + 3] = 255;
  }
  return lut;
}

/** A LUT from colours at shared positions: [position, [r, g, b]] with r, g, b in 0..255. */
function lutFromColors(points: readonly [number, [number, number, number]][]): ColorLut {
  const channel = (c: number): Knot[] => points.map(([at, rgb]) => [at, rgb[c]]);
  return lutFromChannels(channel(0), channel(1), channel(2));
}

/** Gray: v -> (v, v, v). */
export const GRAY: ColorLut = lutFromColors([
  [0, [0, 0, 0]],
  [1, [255, 255, 255]],
]);

/** Hot (MATLAB / niivue "hot"): red rises over [0, 3/8], then green over [3/8, 3/4], then blue over [3/4, 1]. */
export const HOT: ColorLut = lutFromColors([
  [0, [0, 0, 0]],
  [3 / 8, [255, 0, 0]],
  [3 / 4, [255, 255, 0]],
  [1, [255, 255, 255]],
]);

/**
 * Viridis: matplotlib's table (_viridis_data) taken every 32nd entry (entries 0, 32, ..., 224, 255,
 * times 255, rounded) and interpolated between: exact at those entries, close between them (entry 16
 * is (70, 23, 104) where matplotlib has (72, 24, 106)).
 */
export const VIRIDIS: ColorLut = lutFromColors(
  (
    [
      [0, [68, 1, 84]],
      [32, [71, 45, 123]],
      [64, [59, 82, 139]],
      [96, [44, 114, 142]],
      [128, [33, 145, 140]],
      [160, [40, 174, 128]],
      [192, [94, 201, 98]],
      [224, [173, 220, 48]],
      [255, [253, 231, 37]],
    ] as [number, [number, number, number]][]
  ).map(([entry, rgb]) => [entry / 255, rgb]),
);

/** Jet: matplotlib's segment data (_jet_data), each channel piecewise linear, times 255. */
export const JET: ColorLut = lutFromChannels(
  [
    [0, 0],
    [0.35, 0],
    [0.66, 255],
    [0.89, 255],
    [1, 127.5],
  ],
  [
    [0, 0],
    [0.125, 0],
    [0.375, 255],
    [0.64, 255],
    [0.91, 0],
    [1, 0],
  ],
  [
    [0, 127.5],
    [0.11, 255],
    [0.34, 255],
    [0.65, 0],
    [1, 0],
  ],
);

export const COLORMAPS: Record<ColormapName, ColorLut> = { gray: GRAY, hot: HOT, viridis: VIRIDIS, jet: JET };
export const COLORMAP_NAMES = Object.keys(COLORMAPS) as ColormapName[];

/** The entry of a value in [0, 1] (clamped): round(v * 255). */
export function lutIndex(v: number): number {
  return Math.round(Math.min(1, Math.max(0, v)) * 255);
}
