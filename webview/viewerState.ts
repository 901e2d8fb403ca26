// What the viewer shows (slice, overlay and how), and the pure rules that move it. The state is
// saved with the webview (vscodeApi.ts) so that it survives the panel being hidden and shown again.

import type { MapName } from '../models/worker/protocol';

export interface ViewerState {
  /** Slice index z (0-based) of a volume; 0 for a 2D image. */
  slice: number;
  /** The map the overlay control shows; 'reconstruction' is drawn in gray in place of the scan. */
  overlay: MapName;
  overlayOn: boolean;
  /** Overlay opacity in [0, 1]. */
  opacity: number;
  /** True once overlays have been shown, so that a reload keeps the user's slice instead of jumping. */
  hadOverlays: boolean;
}

export const DEFAULT_STATE: ViewerState = { slice: 0, overlay: 'residual', overlayOn: true, opacity: 0.6, hadOverlays: false };

const MAP_NAMES: readonly MapName[] = ['reconstruction', 'residual', 'alignment'];

/** A saved state, checked field by field (it may come from an older version of the viewer). */
export function parseViewerState(value: unknown): ViewerState | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const s = value as Record<string, unknown>;
  const isFraction = (v: unknown) => typeof v === 'number' && v >= 0 && v <= 1;
  if (!Number.isInteger(s.slice) || (s.slice as number) < 0) return undefined;
  if (!MAP_NAMES.includes(s.overlay as MapName) || !isFraction(s.opacity)) return undefined;
  if (typeof s.overlayOn !== 'boolean' || typeof s.hadOverlays !== 'boolean') return undefined;
  return { slice: s.slice as number, overlay: s.overlay as MapName, overlayOn: s.overlayOn, opacity: s.opacity as number, hadOverlays: s.hadOverlays };
}

/** z limited to the slices of a volume of the given depth. */
export function clampSlice(z: number, depth: number): number {
  return Math.min(depth - 1, Math.max(0, Math.round(z)));
}

export function middleSlice(depth: number): number {
  return Math.floor(depth / 2);
}

/** The slice with the highest slice score (the first one on ties); undefined when there are no scores. */
export function mostAnomalousSlice(sliceScores: readonly number[]): number | undefined {
  let best: number | undefined;
  sliceScores.forEach((score, z) => {
    if (Number.isFinite(score) && (best === undefined || score > sliceScores[best])) best = z;
  });
  return best;
}

/** How far PageUp / PageDown move: a tenth of the volume, at least one slice. */
export function pageStep(depth: number): number {
  return Math.max(1, Math.round(depth / 10));
}
