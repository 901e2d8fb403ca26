// The data the viewer draws (the scan and its anomaly maps, checked, with their display windows
// computed once per message) and the choice of what to draw for a viewer state.

import type { Grid, MapName } from '../models/worker/protocol';
import type { HostToWebview, RenderReport } from './protocol';
import { overlayWindow, robustWindow, type IntensityWindow, type SliceRequest } from './render';
import type { ViewerState } from './viewerState';

type ScanMessage = Extract<HostToWebview, { type: 'scan' }>;
type OverlaysMessage = Extract<HostToWebview, { type: 'overlays' }>;

export interface Scan {
  name: string;
  image: Grid;
  spacing: [number, number, number];
  window: IntensityWindow;
}

export interface Overlays {
  maps: Record<MapName, Grid>;
  /** The reconstruction is shown in gray with its own window; residual and alignment get a colour window. */
  reconstructionWindow: IntensityWindow;
  colourWindows: Record<'residual' | 'alignment', IntensityWindow>;
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
  const names: MapName[] = ['reconstruction', 'residual', 'alignment'];
  for (const name of names) {
    const map = message.maps[name];
    if (!map) throw new Error(`Overlays for ${scan.name}: the ${name} map is missing`);
    checkGrid(map, `The ${name} map of ${scan.name}`);
    if (map.dims.join('x') !== scan.image.dims.join('x')) {
      throw new Error(`The ${name} map of ${scan.name} is ${map.dims.join('x')} but the scan is ${scan.image.dims.join('x')}`);
    }
  }
  const { maps, score, sliceScores, model } = message;
  return {
    maps,
    reconstructionWindow: robustWindow(maps.reconstruction.data),
    colourWindows: { residual: overlayWindow(maps.residual), alignment: overlayWindow(maps.alignment) },
    score,
    sliceScores,
    model,
  };
}

/** What to draw for a state: the scan (or the reconstruction in its place) and the chosen map over it. */
export function sliceRequestFor(scan: Scan, overlays: Overlays | undefined, state: ViewerState): { request: SliceRequest; shown: RenderReport['overlay'] } {
  const slice = state.slice;
  if (!overlays || !state.overlayOn) return { request: { base: scan.image, baseWindow: scan.window, slice }, shown: 'none' };
  if (state.overlay === 'reconstruction') {
    return { request: { base: overlays.maps.reconstruction, baseWindow: overlays.reconstructionWindow, slice }, shown: 'reconstruction' };
  }
  const overlay = { map: overlays.maps[state.overlay], window: overlays.colourWindows[state.overlay], opacity: state.opacity };
  return { request: { base: scan.image, baseWindow: scan.window, slice, overlay }, shown: state.overlay };
}
