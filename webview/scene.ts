// The data the viewer draws (the scan and its anomaly maps, checked, with their display windows
// computed once per message) and the choice of what to draw for a viewer state.

import { ALL_MAP_NAMES, MAP_NAMES, type AnyMapName, type Grid } from '../models/worker/protocol';
import type { BaseImageName, HostToWebview, OverlayMaps, RenderReport } from './protocol';
import { COLORMAPS } from './colormap';
import { offeredChoice, restorationChoices, restorationImageName, type RestorationChoice } from './restorationChoice';
import { gridWindow, overlayWindow, valueRange, type IntensityWindow, type OverlayRequest, type SliceRequest } from './render';
import { gridProblem, type ViewerGrid } from './viewerGrid';
import { contourShown, DEFAULT_COLORMAP, shownSlice, type ViewerState } from './viewerState';
import { windowOfLevel, type WindowPreset } from './windowLevel';
import { spacingOfAffine, type Affine } from './worldSpace';

type ScanMessage = Extract<HostToWebview, { type: 'scan' }>;
type OverlaysMessage = Extract<HostToWebview, { type: 'overlays' }>;

export interface Scan {
  name: string;
  image: Grid;
  /** Voxel sizes in mm: the affine's (worldSpace.ts: spacingOfAffine) when there is one, else the message's. */
  spacing: [number, number, number];
  /** NIfTI: the voxel-to-world matrix, for positions in mm and orientation labels. */
  affine?: Affine;
  /** The file is a mask by the project's conventions: shown as labels, never scored. */
  labelImage: boolean;
  /** The automatic window (the 'brain' preset). */
  window: IntensityWindow;
  presets: Record<WindowPreset, IntensityWindow>;
}

/** Anomaly maps drawn in colour over the scan (every map except the reconstruction, which is drawn in gray). */
export type ColourMapName = Exclude<AnyMapName, 'reconstruction'>;

export interface Overlays {
  /** The VQ-VAE's maps always, the prior's (nll, restoration, kde) when the model has a prior; quantized as the host sends them. */
  maps: OverlayMaps;
  /** The maps present, in ALL_MAP_NAMES order: what the overlay control offers. */
  present: AnyMapName[];
  /** With a prior: the latent-space restorations and their mean, drawn in gray like the reconstruction. */
  restorations?: { mean: ViewerGrid; samples: ViewerGrid[] };
  /** The reconstruction (and the restorations, to compare) are shown in gray with its window; the other maps get a colour window. */
  reconstructionWindow: IntensityWindow;
  colourWindows: Partial<Record<ColourMapName, IntensityWindow>>;
  score: number;
  sliceScores: number[];
  model: string;
  /** False for raw maps (the overlays message's postProcessed). */
  postProcessed: boolean;
}

/** Throws when a grid does not hold dims[0] * dims[1] * dims[2] values of its kind (viewerGrid.ts: gridProblem). */
function checkGrid(grid: ViewerGrid, what: string): void {
  const problem = gridProblem(grid);
  if (problem) throw new Error(`${what}: ${problem}`);
}

export function loadScan(message: ScanMessage): Scan {
  checkGrid(message.image, `Scan ${message.name}`);
  const { image } = message;
  const window = gridWindow(image);
  const presets = { brain: window, full: valueRange(image), lesion: gridWindow(image, 0.5, 0.999) };
  const { affine } = message;
  const spacing = affine ? spacingOfAffine(affine) : message.spacing;
  return { name: message.name, image, spacing, affine, labelImage: message.labelImage ?? false, window, presets };
}

/** Throws unless `grid` is a valid grid in the scan's dims. */
export function checkGridOfScan(grid: ViewerGrid, what: string, scan: Scan): void {
  checkGrid(grid, `${what} of ${scan.name}`);
  if (grid.dims.join('x') !== scan.image.dims.join('x')) {
    throw new Error(`${what} of ${scan.name} is ${grid.dims.join('x')} but the scan is ${scan.image.dims.join('x')}`);
  }
}

export function loadOverlays(message: OverlaysMessage, scan: Scan): Overlays {
  for (const name of MAP_NAMES) {
    if (!message.maps[name]) throw new Error(`Overlays for ${scan.name}: the ${name} map is missing`);
  }
  const present = ALL_MAP_NAMES.filter((name) => message.maps[name] !== undefined);
  for (const name of present) checkGridOfScan(message.maps[name] as ViewerGrid, `The ${name} map`, scan);
  const { maps, score, sliceScores, model, restorations } = message;
  if (restorations) {
    if (!Array.isArray(restorations.samples)) throw new Error(`The restorations of ${scan.name} have no list of samples`);
    checkGridOfScan(restorations.mean, 'The mean restoration', scan);
    restorations.samples.forEach((sample, j) => checkGridOfScan(sample, `Restoration ${j + 1}`, scan));
  }
  return {
    maps,
    present,
    restorations,
    reconstructionWindow: gridWindow(maps.reconstruction),
    colourWindows: Object.fromEntries(present.filter((n) => n !== 'reconstruction').map((n) => [n, overlayWindow(maps[n] as ViewerGrid)])),
    score,
    sliceScores,
    model,
    postProcessed: message.postProcessed ?? true,
  };
}

/** The grid and colour window of a colour map (the range the user set, else the automatic one), when the scan has that map. */
export function colourLayer(
  overlays: Overlays,
  name: ColourMapName,
  state: Pick<ViewerState, 'overlayRanges'>,
): { grid: ViewerGrid; window: IntensityWindow } | undefined {
  const grid = overlays.maps[name];
  const window = state.overlayRanges[name] ?? overlays.colourWindows[name];
  return grid && window ? { grid, window } : undefined;
}

/** Which image a pane shows: the scan, or (side by side) the model's reconstruction of it (or a restoration). */
export type PaneImage = 'scan' | 'reconstruction';

/** The gray image of the model's view for a restoration choice (the reconstruction when that choice is not offered), and its report name. */
export function modelImage(overlays: Overlays, choice: RestorationChoice): { grid: ViewerGrid; name: BaseImageName } {
  const restorations = overlays.restorations;
  const offered = offeredChoice(restorationChoices(restorations?.samples.length), choice);
  const grid =
    !restorations || offered === 'reconstruction' ? overlays.maps.reconstruction : offered === 'mean' ? restorations.mean : restorations.samples[offered];
  return { grid, name: restorationImageName(offered) };
}

/** The value a contour fraction in [0, 1] stands for: low + fraction * (high - low) of the map's colour window. */
export function contourValue(window: IntensityWindow, fraction: number): number {
  return window.low + fraction * (window.high - window.low);
}

/** The automatic window of the scan, or the one set by dragging, typing or a preset. */
export function scanWindow(scan: Scan, state: ViewerState): IntensityWindow {
  return state.windowLevel ? windowOfLevel(state.windowLevel) : scan.window;
}

/** What a pane draws: the slice request, the overlay shown and the gray image under it (as render reports name them). */
export interface PaneDrawing {
  request: SliceRequest;
  shown: RenderReport['overlay'];
  base: BaseImageName;
}

/**
 * What to draw in a pane for a state: its image (the scan, or the model's view of it (the
 * reconstruction or the chosen restoration) in the second pane side by side, or in place of the scan
 * when the reconstruction is the chosen overlay) and the chosen colour map over it, with its contour.
 */
export function sliceRequestFor(scan: Scan, overlays: Overlays | undefined, state: ViewerState, pane: PaneImage = 'scan'): PaneDrawing {
  const where = { view: state.view, slice: shownSlice(state) };
  const scanBase: SliceRequest = { base: scan.image, baseWindow: scanWindow(scan, state), ...where };
  if (!overlays) return { request: scanBase, shown: 'none', base: 'scan' };
  const model = modelImage(overlays, state.restoration);
  const modelBase: SliceRequest = { base: model.grid, baseWindow: overlays.reconstructionWindow, ...where };
  const { request: base, name } = pane === 'reconstruction' ? { request: modelBase, name: model.name } : { request: scanBase, name: 'scan' as const };
  if (!state.overlayOn) return { request: base, shown: 'none', base: name };
  if (state.overlay === 'reconstruction') {
    return state.compare ? { request: base, shown: 'reconstruction', base: name } : { request: modelBase, shown: 'reconstruction', base: model.name };
  }
  const layer = colourLayer(overlays, state.overlay, state);
  if (!layer) return { request: base, shown: 'none', base: name }; // a prior map this scan does not have
  const { grid: map, window } = layer;
  const overlay: OverlayRequest = {
    map,
    window,
    colormap: COLORMAPS[state.colormaps[state.overlay] ?? DEFAULT_COLORMAP],
    opacity: state.opacity,
    contourAt: contourShown(state.contour) ? contourValue(window, state.contour) : undefined,
  };
  return { request: { ...base, overlay }, shown: state.overlay, base: name };
}
