// What the viewer shows (view, crosshair, overlay and how, zoom, contrast), and the pure rules that move
// it. The state is saved with the webview (vscodeApi.ts) so that it survives the panel being hidden.

import { ALL_MAP_NAMES, type AnyMapName } from '../models/worker/protocol';
import { COLORMAP_NAMES, type ColormapName } from './colormap';
import { isFiniteNumber } from './messageChecks';
import { normalAxis, VIEW_AXES, type ViewAxis } from './orthoSlice';
import type { IntensityWindow } from './render';
import { LABEL_STYLES, type LabelStyle } from './labelDrawing';
import { LAYOUTS, type Layout } from './linkedPlanes';
import { isRestorationChoice, type RestorationChoice } from './restorationChoice';
import type { WindowLevel } from './windowLevel';

export type Voxel = [number, number, number];

export interface ViewerState {
  view: ViewAxis;
  /** The crosshair voxel (x, y, z); each view shows the slice through it. */
  position: Voxel;
  /** The map the overlay control shows; 'reconstruction' is drawn in gray in place of the scan. */
  overlay: AnyMapName;
  overlayOn: boolean;
  /** Overlay opacity in [0, 1]. */
  opacity: number;
  /** The colormap chosen for each map; a map not listed uses DEFAULT_COLORMAP. */
  colormaps: Partial<Record<AnyMapName, ColormapName>>;
  /** Contour threshold as a fraction of the map's colour window (0 = its low end); 0 draws no contour. */
  contour: number;
  /** The colour window set for a map (its colormap from low to high); a map not listed uses its automatic window. */
  overlayRanges: Partial<Record<AnyMapName, IntensityWindow>>;
  /** Scan and reconstruction side by side. */
  compare: boolean;
  /** The gray image drawn where the reconstruction goes: the reconstruction or a restoration (restorationChoice.ts). */
  restoration: RestorationChoice;
  /** Magnification over the fitted size, and the shift in image widths / heights. */
  zoom: number;
  pan: [number, number];
  /** Contrast set by dragging; null = the scan's automatic window. */
  windowLevel: WindowLevel | null;
  /** True once overlays have been shown, so that a reload keeps the user's slice instead of jumping. */
  hadOverlays: boolean;
  /** How a slice is scaled to its pane: each voxel a sharp block (nearest) or blended with its neighbours (linear). */
  interpolation: Interpolation;
  /** One plane, or the three planes linked through the crosshair (linkedPlanes.ts). */
  layout: Layout;
  /** Whether the label overlay (a mask or second volume) is shown, and as its outline or a tint. */
  labelsOn: boolean;
  labelStyle: LabelStyle;
}

export type Interpolation = 'nearest' | 'linear';
export const INTERPOLATIONS: readonly Interpolation[] = ['nearest', 'linear'];

export const DEFAULT_COLORMAP: ColormapName = 'hot';

export const DEFAULT_STATE: ViewerState = {
  view: 'axial',
  position: [0, 0, 0],
  overlay: 'residual',
  overlayOn: true,
  opacity: 0.6,
  colormaps: {},
  contour: 0,
  overlayRanges: {},
  compare: false,
  restoration: 'reconstruction',
  zoom: 1,
  pan: [0, 0],
  windowLevel: null,
  hadOverlays: false,
  interpolation: 'nearest',
  layout: 'single',
  labelsOn: true,
  labelStyle: 'outline',
};

export const MIN_ZOOM = 0.5;
export const MAX_ZOOM = 16;

/** A saved state, checked field by field (it may come from an older version of the viewer). */
export function parseViewerState(value: unknown): ViewerState | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const s = value as Record<string, unknown>;
  const isFraction = (v: unknown) => isFiniteNumber(v) && v >= 0 && v <= 1;
  const isTuple = (v: unknown, length: number): v is number[] => Array.isArray(v) && v.length === length && v.every(isFiniteNumber);
  if (!VIEW_AXES.includes(s.view as ViewAxis)) return undefined;
  if (!isTuple(s.position, 3) || !s.position.every((i) => Number.isInteger(i) && i >= 0)) return undefined;
  if (!ALL_MAP_NAMES.includes(s.overlay as AnyMapName) || !isFraction(s.opacity) || !isFraction(s.contour)) return undefined;
  if (typeof s.overlayOn !== 'boolean' || typeof s.compare !== 'boolean' || typeof s.hadOverlays !== 'boolean') return undefined;
  if (!isFiniteNumber(s.zoom) || s.zoom < MIN_ZOOM || s.zoom > MAX_ZOOM || !isTuple(s.pan, 2)) return undefined;
  const colormaps = s.colormaps as Record<string, unknown> | null;
  if (typeof colormaps !== 'object' || colormaps === null || Array.isArray(colormaps)) return undefined;
  const validColormap = ([map, name]: [string, unknown]) => ALL_MAP_NAMES.includes(map as AnyMapName) && COLORMAP_NAMES.includes(name as ColormapName);
  if (!Object.entries(colormaps).every(validColormap)) return undefined;
  // States saved before restorations could be browsed have no choice: the reconstruction.
  const restoration = s.restoration ?? 'reconstruction';
  if (!isRestorationChoice(restoration)) return undefined;
  // States saved before overlay ranges could be set have none.
  const overlayRanges = (s.overlayRanges ?? {}) as Record<string, unknown>;
  if (typeof overlayRanges !== 'object' || overlayRanges === null || Array.isArray(overlayRanges)) return undefined;
  const validRange = ([map, r]: [string, unknown]) => ALL_MAP_NAMES.includes(map as AnyMapName) && isIntensityWindow(r);
  if (!Object.entries(overlayRanges).every(validRange)) return undefined;
  // States saved before the interpolation could be chosen have none: nearest.
  const interpolation = s.interpolation ?? 'nearest';
  if (!INTERPOLATIONS.includes(interpolation as Interpolation)) return undefined;
  // States saved before the linked planes and label overlays have one plane and show the outline.
  const layout = s.layout ?? DEFAULT_STATE.layout;
  const labelsOn = s.labelsOn ?? DEFAULT_STATE.labelsOn;
  const labelStyle = s.labelStyle ?? DEFAULT_STATE.labelStyle;
  if (!LAYOUTS.includes(layout as Layout) || typeof labelsOn !== 'boolean' || !LABEL_STYLES.includes(labelStyle as LabelStyle)) return undefined;
  const wl = s.windowLevel as Record<string, unknown> | null;
  if (wl !== null && (typeof wl !== 'object' || !isFiniteNumber(wl.level) || !isFiniteNumber(wl.width) || wl.width <= 0)) return undefined;
  return {
    view: s.view as ViewAxis,
    position: s.position as Voxel,
    overlay: s.overlay as AnyMapName,
    overlayOn: s.overlayOn,
    opacity: s.opacity as number,
    colormaps: colormaps as ViewerState['colormaps'],
    contour: s.contour as number,
    overlayRanges: overlayRanges as ViewerState['overlayRanges'],
    compare: s.compare,
    restoration,
    zoom: s.zoom,
    pan: s.pan as [number, number],
    windowLevel: wl === null ? null : { level: wl.level as number, width: wl.width as number },
    hadOverlays: s.hadOverlays,
    interpolation: interpolation as Interpolation,
    layout: layout as Layout,
    labelsOn,
    labelStyle: labelStyle as LabelStyle,
  };
}

/** A window with finite ends, low below high. */
function isIntensityWindow(value: unknown): value is IntensityWindow {
  const w = value as Record<string, unknown> | null;
  return typeof w === 'object' && w !== null && isFiniteNumber(w.low) && isFiniteNumber(w.high) && w.low < w.high;
}

/** How far `[` and `]` move the contour threshold: 5 % of the map's colour window. */
export const CONTOUR_STEP = 0.05;

/**
 * The contour threshold `steps` key presses on from `contour`, on the grid of CONTOUR_STEP and within
 * [0, 1]: ten steps up and ten down land on 0 exactly (adding 0.05 in floating point does not), so the
 * contour is off again and not drawn at a sliver above the window's low end.
 */
export function stepContour(contour: number, steps: number): number {
  const grid = Math.round(contour / CONTOUR_STEP) + steps;
  return Math.min(1, Math.max(0, Math.round(grid * CONTOUR_STEP * 100) / 100));
}

/** Whether a contour threshold draws a contour: at least 1 % of the window (the slider's step), as its label says. */
export function contourShown(contour: number): boolean {
  return Math.round(contour * 100) > 0;
}

/** i limited to 0..count - 1 and rounded. */
export function clampIndex(i: number, count: number): number {
  return Math.min(count - 1, Math.max(0, Math.round(i)));
}

/** A voxel limited to a grid's dims. */
export function clampPosition(position: Voxel, dims: readonly [number, number, number]): Voxel {
  return [clampIndex(position[0], dims[0]), clampIndex(position[1], dims[1]), clampIndex(position[2], dims[2])];
}

/** The slice a view shows: the crosshair's coordinate along the view's normal axis. */
export function shownSlice(state: Pick<ViewerState, 'view' | 'position'>): number {
  return state.position[normalAxis(state.view)];
}

/** The crosshair moved to slice `index` of a view (its other coordinates kept). */
export function withSlice(position: Voxel, view: ViewAxis, index: number): Voxel {
  const moved: Voxel = [...position];
  moved[normalAxis(view)] = index;
  return moved;
}

/** The centre voxel of a grid. */
export function centreVoxel(dims: readonly [number, number, number]): Voxel {
  return [Math.floor(dims[0] / 2), Math.floor(dims[1] / 2), Math.floor(dims[2] / 2)];
}

/** The slice with the highest slice score (the first one on ties); undefined when there are no scores. */
export function mostAnomalousSlice(sliceScores: readonly number[]): number | undefined {
  return slicesByScore(sliceScores)[0];
}

/** Slices with a finite score, highest score first (lower index first on ties). */
export function slicesByScore(sliceScores: readonly number[]): number[] {
  const scored = sliceScores.flatMap((score, z) => (Number.isFinite(score) ? [z] : []));
  return scored.sort((a, b) => sliceScores[b] - sliceScores[a] || a - b);
}

/**
 * The "next most anomalous" slice after `current`: the one following it in the ranking by score
 * (back to the top after the last); the top slice when `current` has no score.
 */
export function nextMostAnomalousSlice(sliceScores: readonly number[], current: number): number | undefined {
  const ranking = slicesByScore(sliceScores);
  if (ranking.length === 0) return undefined;
  const at = ranking.indexOf(current);
  return ranking[(at + 1) % ranking.length];
}

/** How far PageUp / PageDown move: a tenth of the slices, at least one. */
export function pageStep(depth: number): number {
  return Math.max(1, Math.round(depth / 10));
}

/** A zoom limited to MIN_ZOOM..MAX_ZOOM. */
export function clampZoom(zoom: number): number {
  return Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, zoom));
}
