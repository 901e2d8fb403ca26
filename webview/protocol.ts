// The one typed protocol between the extension host and the scan viewer webview.
// Images and maps travel as typed arrays (binary), never as JSON number arrays: the scan in float32, the
// anomaly maps and restorations quantized to 16 bits by the host (quantizedGrid.ts), half the bytes.

import { ALL_MAP_NAMES, type AnyMapName, type Grid, type MapName, type PriorMapName } from '../models/worker/protocol';
import { COLORMAP_NAMES, type ColormapName } from './colormap';
import { isFiniteNumber } from './messageChecks';
import { VIEW_AXES, type ViewAxis } from './orthoSlice';
import { LABEL_STYLES, type LabelStyle } from './labelDrawing';
import { LAYOUTS, type Layout } from './linkedPlanes';
import type { IntensityWindow } from './render';
import type { ViewerGrid } from './viewerGrid';
import type { WindowLevel } from './windowLevel';
import type { LengthUnit } from './ruler';
import type { RegionMeasure, RegionOrder } from './thresholdRegions';
import { INTERPOLATIONS, type Interpolation } from './viewerState';
import type { Affine, ViewOrientation } from './worldSpace';

/**
 * A scan's maps as the overlays message carries them: the VQ-VAE's always, the prior's when there is
 * one. The host sends each one quantized (QuantizedGrid); the viewer draws float32 grids as well.
 */
export type OverlayMaps = Record<MapName, ViewerGrid> & Partial<Record<PriorMapName, ViewerGrid>>;

export type HostToWebview =
  /**
   * The scan to show, as decoded from its file (raw intensities), with voxel sizes in mm (or 1) and, for a
   * NIfTI, its voxel-to-world matrix; for a 4D NIfTI, which of its volumes this is (0-based) and how many it holds.
   * `labelImage`: the file is a mask by the project's conventions (models/io/maskConventions.ts), shown as
   * labels and never scored; `expertMask`: the file name of the mask that belongs to this scan by those
   * conventions, which the page offers to show.
   */
  | {
      type: 'scan';
      name: string;
      image: Grid;
      spacing: [number, number, number];
      affine?: Affine;
      volume?: { index: number; count: number };
      labelImage?: boolean;
      expertMask?: string;
    }
  /** A label mask or second volume `name` (a file name) in the scan's grid, to draw over it as an outline or a tint (labelLayer.ts). */
  | { type: 'labelOverlay'; name: string; image: Grid }
  /**
   * Scoring finished: the anomaly maps in the scan's grid, and the scores; with a prior, the latent-space
   * restorations (methods.md §6) and their mean, to browse in gray like the reconstruction.
   */
  | {
      type: 'overlays';
      maps: OverlayMaps;
      score: number;
      sliceScores: number[];
      model: string;
      restorations?: { mean: ViewerGrid; samples: ViewerGrid[] };
      /** False when the maps are raw: as computed, without the post-processing stage (methods.md §10); absent: true. */
      postProcessed?: boolean;
    }
  /** A line for the status area (e.g. "Scoring…", "No model trained yet"). */
  | { type: 'status'; text: string }
  | { type: 'error'; message: string }
  /** The scan `name` (a file name) could not be read: nothing to show or score. */
  | { type: 'scanFailed'; name: string; message: string }
  /** Automation (tests): the page acts as if the user had pressed a key or typed a value into a control. */
  | { type: 'automate'; action: ViewerAutomation };

/** The controls with a typed value that automation can set (viewerDom.ts). */
export type ViewerInput = 'window' | 'level' | 'windowPreset' | 'overlayLow' | 'overlayHigh' | 'layout' | 'labelStyle';

/**
 * Automation: a key pressed, a value typed into a control, a click in pane `pane` (0-based, left to right)
 * at the centre of voxel `voxel`'s pixel, the label overlay's checkbox set, a left drag in the first pane,
 * or a click on a row of the region list.
 */
export type ViewerAutomation =
  | { kind: 'key'; key: string }
  | { kind: 'input'; control: ViewerInput; value: string }
  | { kind: 'click'; pane: number; voxel: [number, number, number] }
  | { kind: 'check'; control: 'labels'; checked: boolean }
  /** A left drag in the first pane from one slice pixel (column, row; continuous) to another, as the pointer does it. */
  | { kind: 'drag'; from: [number, number]; to: [number, number] }
  /** A click on row `index` (0 = the top) of the region list. */
  | { kind: 'clickRegion'; index: number };

/** The page's header and error box, reported whenever they change (used by tests). */
export interface PageReport {
  /** The header's title: the file name, or "Loading…" before the host has said which file. */
  title: string;
  /** Whether the Score button can be pressed, and why not when that is not for want of a scan ('' otherwise): e.g. the file is a mask. */
  scoreEnabled: boolean;
  scoreNote: string;
  /** The error box's text ('' when hidden). */
  error: string;
  /** The URLs the page's scripts and stylesheets were loaded from, as the browser resolved them (remote development: webview resource URLs, never local file URLs). */
  resources: string[];
  /** The linked stylesheets that loaded. */
  stylesheets: number;
}

/** What the webview drew, reported after each render (used by the status line and by tests). */
export interface RenderReport {
  /** The view drawn, and the index of its slice (along z for axial, y for coronal, x for sagittal). */
  view: ViewAxis;
  slice: number;
  overlay: AnyMapName | 'none';
  /** The colormap the overlay was painted with ('none' without a colour overlay). */
  colormap: ColormapName | 'none';
  opacity: number;
  /** Canvas pixels with any image content, and pixels where the overlay was painted (alpha > 0). */
  imagePixels: number;
  overlayPixels: number;
  /** Pixels of the threshold contour (0 when no contour is drawn). */
  contourPixels: number;
  /** True when the scan and its reconstruction are shown side by side (the counts are the scan's pane). */
  compare: boolean;
  /** Whether the maps shown are post-processed (false: raw), as the last overlays message said; true before any. */
  postProcessed: boolean;
  /**
   * The gray image drawn: the scan, or in its place the reconstruction or a restoration (their mean, or
   * sample j); side by side, the one in the second pane (the scan is always in the first).
   */
  base: BaseImageName;
  /** The contour control's label: 'off', or '≥ value' of the contour drawn. */
  contourLabel: string;
  /** The gray window the scan was drawn with, as its controls show it. */
  windowLevel: WindowLevel;
  /** The colour overlay's range (its colormap from low to high), as its controls show it; null without a colour overlay. */
  overlayRange: IntensityWindow | null;
  /** The crosshair voxel (x, y, z), its world position in mm (null without an affine), and the pane edges' patient directions (null without an affine). */
  crosshair: [number, number, number];
  crosshairMm: [number, number, number] | null;
  orientation: ViewOrientation | null;
  /** The measuring tools and the page's aids (shortcut sheet, interpolation, pane size for snapshots). */
  tools: ToolsReport;
  /** The layout: one plane, or the three linked planes (linkedPlanes.ts); what each pane drew, left to right (the fields above are the first pane's). */
  layout: Layout;
  panes: PaneReport[];
  /** The label overlay drawn (a mask or second volume, or the file itself when it is a mask); null when none is shown. */
  labels: { name: string; kind: 'labels' | 'volume'; style: LabelStyle } | null;
}

/** What one pane drew: its view and slice, its gray image, and its overlay, contour and label pixels (labelOutline: slice offsets row * width + col, grid rows). */
export interface PaneReport {
  view: ViewAxis;
  slice: number;
  base: BaseImageName;
  overlayPixels: number;
  contourPixels: number;
  labelPixels: number;
  labelOutline: number[];
}

/** What the viewer's measuring tools show, reported with each render (used by tests). */
export interface ToolsReport {
  /** The first pane's size in CSS pixels (a snapshot of one pane has this size). */
  paneSize: { width: number; height: number };
  /** How the slice canvases are scaled, as their style says. */
  interpolation: Interpolation;
  /** Whether the shortcut sheet is open, and whether the ruler (measure mode) is on. */
  shortcutSheet: boolean;
  measuring: boolean;
  /** The region list of the thresholded map; null while no contour is shown. */
  regions: RegionsReport | null;
  /** The ruler drawn in the shown slice; null when there is none there. */
  ruler: RulerReport | null;
}

export interface RegionsReport {
  /** The map thresholded and the threshold (the contour's value). */
  map: AnyMapName;
  threshold: number;
  /** The regions listed or counted, and the regions of at most SMALL_REGION_VOXELS voxels left out (volumes). */
  count: number;
  smallRemoved: number;
  unit: RegionMeasure['unit'];
  order: RegionOrder;
  /** The rows listed, top first (the list shows at most REGION_ROWS). */
  rows: { voxels: number; size: number; peak: number; focus: [number, number, number] }[];
}

export interface RulerReport {
  from: [number, number, number];
  to: [number, number, number];
  /** Its length in mm (px for a 2D image without a header), and the label drawn beside the line. */
  length: number;
  unit: LengthUnit;
  label: string;
}

/** The gray images a pane can show: 'restoration-3' is the restoration X_3 (0-based). */
export type BaseImageName = 'scan' | 'reconstruction' | 'restoration-mean' | `restoration-${number}`;

/** True for the names BaseImageName allows (the sample index a whole number). */
export function isBaseImageName(value: unknown): value is BaseImageName {
  return typeof value === 'string' && /^(scan|reconstruction|restoration-mean|restoration-(0|[1-9]\d*))$/.test(value);
}

export type WebviewToHost =
  | { type: 'ready' }
  | { type: 'score' }
  | { type: 'rendered'; report: RenderReport }
  /** Show and score volume `index` (0-based) of a 4D NIfTI; the host checks it against the volume count. */
  | { type: 'selectVolume'; index: number }
  /** Score again with raw maps (true) or post-processed ones (false, the default). */
  | { type: 'rawMaps'; raw: boolean }
  | { type: 'page'; page: PageReport }
  /** The snapshot of the shown panes (PNG bytes): the host asks where to save it and writes it. */
  | { type: 'snapshot'; png: Uint8Array }
  /** The page's "Open mask or volume as overlay…" button: the host asks for the file. */
  | { type: 'openOverlay' }
  /** Show the expert mask the scan message offered (its expertMask). */
  | { type: 'showExpertMask' };

const isWindowLevel = (v: unknown) => {
  const w = v as Record<string, unknown> | null;
  return typeof w === 'object' && w !== null && isFiniteNumber(w.level) && isFiniteNumber(w.width);
};
const isOrientation = (v: unknown) => {
  const o = v as Record<string, unknown> | null;
  return o === null || (typeof o === 'object' && ['left', 'right', 'top', 'bottom'].every((edge) => typeof o[edge] === 'string'));
};
const isRange = (v: unknown) => {
  const r = v as Record<string, unknown> | null;
  return r === null || (typeof r === 'object' && isFiniteNumber(r.low) && isFiniteNumber(r.high));
};

const isCount = (v: unknown) => Number.isInteger(v) && (v as number) >= 0;
const isPaneReport = (v: unknown) => {
  const p = v as Record<string, unknown> | null;
  if (typeof p !== 'object' || p === null || !VIEW_AXES.includes(p.view as ViewAxis) || !isBaseImageName(p.base)) return false;
  return [p.slice, p.overlayPixels, p.contourPixels, p.labelPixels].every(isCount) && Array.isArray(p.labelOutline) && p.labelOutline.every(isCount);
};
const isLabelsReport = (v: unknown) => {
  const l = v as Record<string, unknown> | null;
  return (
    l === null ||
    (typeof l === 'object' && typeof l.name === 'string' && ['labels', 'volume'].includes(l.kind as string) && LABEL_STYLES.includes(l.style as LabelStyle))
  );
};

/** Checks a message from the webview before the host acts on it (webviews are not trusted). */
export function parseWebviewMessage(value: unknown): WebviewToHost | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const m = value as Record<string, unknown>;
  switch (m.type) {
    case 'ready':
    case 'score':
    case 'openOverlay':
    case 'showExpertMask':
      return { type: m.type };
    case 'rendered': {
      const r = m.report as Record<string, unknown> | undefined;
      if (!r) return undefined;
      const num = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= 0;
      const overlays = ['none', ...ALL_MAP_NAMES];
      if (!num(r.slice) || !num(r.opacity) || !num(r.imagePixels) || !num(r.overlayPixels) || !num(r.contourPixels)) return undefined;
      if (typeof r.overlay !== 'string' || !overlays.includes(r.overlay)) return undefined;
      if (!VIEW_AXES.includes(r.view as ViewAxis) || typeof r.compare !== 'boolean' || typeof r.postProcessed !== 'boolean') return undefined;
      if (r.colormap !== 'none' && !COLORMAP_NAMES.includes(r.colormap as ColormapName)) return undefined;
      const isTriple = (v: unknown) => Array.isArray(v) && v.length === 3 && v.every(isFiniteNumber);
      if (!isTriple(r.crosshair) || (r.crosshairMm !== null && !isTriple(r.crosshairMm)) || !isOrientation(r.orientation)) return undefined;
      if (!isBaseImageName(r.base) || typeof r.contourLabel !== 'string' || !isWindowLevel(r.windowLevel) || !isRange(r.overlayRange)) return undefined;
      if (!isToolsReport(r.tools)) return undefined;
      if (!LAYOUTS.includes(r.layout as Layout) || !Array.isArray(r.panes) || !r.panes.every(isPaneReport) || !isLabelsReport(r.labels)) return undefined;
      return { type: 'rendered', report: r as unknown as RenderReport };
    }
    case 'selectVolume':
      return Number.isInteger(m.index) && (m.index as number) >= 0 ? { type: 'selectVolume', index: m.index as number } : undefined;
    case 'rawMaps':
      return typeof m.raw === 'boolean' ? { type: 'rawMaps', raw: m.raw } : undefined;
    case 'page': {
      const p = m.page as Record<string, unknown> | undefined;
      if (typeof p?.title !== 'string' || typeof p.scoreEnabled !== 'boolean' || typeof p.scoreNote !== 'string' || typeof p.error !== 'string')
        return undefined;
      if (!Array.isArray(p.resources) || !p.resources.every((url) => typeof url === 'string') || !Number.isInteger(p.stylesheets)) return undefined;
      const page = {
        title: p.title,
        scoreEnabled: p.scoreEnabled,
        scoreNote: p.scoreNote,
        error: p.error,
        resources: p.resources as string[],
        stylesheets: p.stylesheets as number,
      };
      return { type: 'page', page };
    }
    case 'snapshot':
      return isPng(m.png) ? { type: 'snapshot', png: m.png } : undefined;
    default:
      return undefined;
  }
}

/** The 8 bytes every PNG file starts with. */
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function isPng(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array && value.length > PNG_SIGNATURE.length && PNG_SIGNATURE.every((byte, i) => value[i] === byte);
}

function isToolsReport(value: unknown): value is ToolsReport {
  const t = value as Record<string, unknown> | null;
  if (typeof t !== 'object' || t === null) return false;
  const size = t.paneSize as Record<string, unknown> | null;
  if (typeof size !== 'object' || size === null || !isFiniteNumber(size.width) || !isFiniteNumber(size.height)) return false;
  if (!INTERPOLATIONS.includes(t.interpolation as Interpolation) || typeof t.shortcutSheet !== 'boolean' || typeof t.measuring !== 'boolean') return false;
  const regions = t.regions as Record<string, unknown> | null;
  const regionsOk =
    regions === null ||
    (typeof regions === 'object' &&
      isFiniteNumber(regions.threshold) &&
      isFiniteNumber(regions.count) &&
      isFiniteNumber(regions.smallRemoved) &&
      Array.isArray(regions.rows));
  const ruler = t.ruler as Record<string, unknown> | null;
  return (
    regionsOk &&
    (ruler === null ||
      (typeof ruler === 'object' && isFiniteNumber(ruler.length) && (ruler.unit === 'mm' || ruler.unit === 'px') && typeof ruler.label === 'string'))
  );
}
