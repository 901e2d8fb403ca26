// The data the viewer draws (the scan and its anomaly maps, checked, with their display windows
// computed once per message) and the choice of what to draw for a viewer state.

import { ALL_MAP_NAMES, MAP_NAMES, type AnyMapName, type Grid, type ScanMaps } from '../models/worker/protocol';
import type { HostToWebview, RenderReport } from './protocol';
import { COLORMAPS } from './colormap';
import { overlayWindow, robustWindow, type IntensityWindow, type OverlayRequest, type SliceRequest } from './render';
import { DEFAULT_COLORMAP, shownSlice, type ViewerState } from './viewerState';
import { windowOfLevel } from './windowLevel';

type ScanMessage = Extract<HostToWebview, { type: 'scan' }>;
type OverlaysMessage = Extract<HostToWebview, { type: 'overlays' }>;

export interface Scan {
  name: string;
  image: Grid;
  spacing: [number, number, number];
  window: IntensityWindow;
}

/** Anomaly maps drawn in colour over the scan (every map except the reconstruction, which is drawn in gray). */
export type ColourMapName = Exclude<AnyMapName, 'reconstruction'>;

export interface Overlays {
  /** The VQ-VAE's maps always, the prior's (nll, restoration, kde) when the model has a prior. */
  maps: ScanMaps;
  /** The maps present, in ALL_MAP_NAMES order: what the overlay control offers. */
  present: AnyMapName[];
  /** The reconstruction is shown in gray with its own window; the other maps get a colour window. */
  reconstructionWindow: IntensityWindow;
  colourWindows: Partial<Record<ColourMapName, IntensityWindow>>;
  score: number;
  sliceScores: number[];
  model: string;
}

/** Throws when a grid's data is not a Float32Array of dims[0] * dims[1] * dims[2] values. */
function checkGrid(grid: Grid, what: string): void {
  const [w, h, d] = grid.dims;
  if (!(grid.data instanceof Float32Array)) throw new Error(`${what}: the data is not a Float32Array`);
  if (grid.data.length !== w * h * d || w < 1 || h < 1 || d < 1) {
    throw new Error(`${what}: dims ${w}x${h}x${d} do not match its ${grid.data.length} values`);
  }
}

export function loadScan(message: ScanMessage): Scan {
  checkGrid(message.image, `Scan ${message.name}`);
  return { name: message.name, image: message.image, spacing: message.spacing, window: robustWindow(message.image.data) };
}

export function loadOverlays(message: OverlaysMessage, scan: Scan): Overlays {
  for (const name of MAP_NAMES) {
    if (!message.maps[name]) throw new Error(`Overlays for ${scan.name}: the ${name} map is missing`);
  }
  const present = ALL_MAP_NAMES.filter((name) => message.maps[name] !== undefined);
  for (const name of present) {
    const map = message.maps[name] as Grid;
    checkGrid(map, `The ${name} map of ${scan.name}`);
    if (map.dims.join('x') !== scan.image.dims.join('x')) {
      throw new Error(`The ${name} map of ${scan.name} is ${map.dims.join('x')} but the scan is ${scan.image.dims.join('x')}`);
    }
  }
  const { maps, score, sliceScores, model } = message;
  return {
    maps,
    present,
    reconstructionWindow: robustWindow(maps.reconstruction.data),
    colourWindows: Object.fromEntries(present.filter((n) => n !== 'reconstruction').map((n) => [n, overlayWindow(maps[n] as Grid)])),
    score,
    sliceScores,
    model,
  };
}

/** The grid and colour window of a colour map, when the scan has that map. */
export function colourLayer(overlays: Overlays, name: ColourMapName): { grid: Grid; window: IntensityWindow } | undefined {
  const grid = overlays.maps[name];
  const window = overlays.colourWindows[name];
  return grid && window ? { grid, window } : undefined;
}

/** Which image a pane shows: the scan, or (side by side) the model's reconstruction of it. */
export type PaneImage = 'scan' | 'reconstruction';

/** The value a contour fraction in [0, 1] stands for: low + fraction * (high - low) of the map's colour window. */
export function contourValue(window: IntensityWindow, fraction: number): number {
  return window.low + fraction * (window.high - window.low);
}

/** The automatic window of the scan, or the one set by dragging. */
function scanWindow(scan: Scan, state: ViewerState): IntensityWindow {
  return state.windowLevel ? windowOfLevel(state.windowLevel) : scan.window;
}

/**
 * What to draw in a pane for a state: its image (the scan, or the model's reconstruction in the second
 * pane side by side, or in place of the scan when that is the chosen overlay) and the chosen colour
 * map over it, with its contour.
 */
export function sliceRequestFor(scan: Scan, overlays: Overlays | undefined, state: ViewerState, pane: PaneImage = 'scan'): { request: SliceRequest; shown: RenderReport['overlay'] } {
  const where = { view: state.view, slice: shownSlice(state) };
  const scanBase: SliceRequest = { base: scan.image, baseWindow: scanWindow(scan, state), ...where };
  if (!overlays) return { request: scanBase, shown: 'none' };
  const reconstructionBase: SliceRequest = { base: overlays.maps.reconstruction, baseWindow: overlays.reconstructionWindow, ...where };
  const base = pane === 'reconstruction' ? reconstructionBase : scanBase;
  if (!state.overlayOn) return { request: base, shown: 'none' };
  if (state.overlay === 'reconstruction') return { request: state.compare ? base : reconstructionBase, shown: 'reconstruction' };
  const layer = colourLayer(overlays, state.overlay);
  if (!layer) return { request: base, shown: 'none' }; // a prior map this scan does not have
  const { grid: map, window } = layer;
  const overlay: OverlayRequest = {
    map,
    window,
    colormap: COLORMAPS[state.colormaps[state.overlay] ?? DEFAULT_COLORMAP],
    opacity: state.opacity,
    contourAt: state.contour > 0 ? contourValue(window, state.contour) : undefined,
  };
  return { request: { ...base, overlay }, shown: state.overlay };
}
