// Where a slice appears on screen: its physical extent (voxels x spacing, in mm) fitted into its pane,
// then zoomed and panned; and the conversions between screen positions and slice pixels.

export interface Size {
  width: number;
  height: number;
}

/** The slice image's box inside its pane, in CSS pixels. */
export interface Placement {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** A slice pixel: column (left to right) and row of the slice in grid order. */
export interface SlicePixel {
  col: number;
  row: number;
}

/**
 * The largest size with the aspect of the slice's physical extent (width * spacingX : height * spacingY)
 * that fits the box. Spacings that are not positive numbers count as 1.
 */
export function fitToBox(voxels: Size, spacing: readonly [number, number], box: Size): Size {
  const mm = (s: number) => (s > 0 && Number.isFinite(s) ? s : 1);
  const extentW = voxels.width * mm(spacing[0]);
  const extentH = voxels.height * mm(spacing[1]);
  const scale = Math.max(0, Math.min(box.width / extentW, box.height / extentH));
  return { width: Math.floor(extentW * scale), height: Math.floor(extentH * scale) };
}

/**
 * The slice's box: the fitted size times `zoom`, centred in the pane and then moved by `pan`, which is
 * measured in image widths / heights (so a pan survives resizing the pane).
 */
export function placeSlice(voxels: Size, spacing: readonly [number, number], pane: Size, zoom: number, pan: readonly [number, number]): Placement {
  const fitted = fitToBox(voxels, spacing, pane);
  const width = fitted.width * zoom;
  const height = fitted.height * zoom;
  return { left: (pane.width - width) / 2 + pan[0] * width, top: (pane.height - height) / 2 + pan[1] * height, width, height };
}

/**
 * The slice pixel under a pane position (x, y), or undefined outside the image. `flipY`: row 0 is
 * drawn at the bottom (volumes), so the row counts up from the image's lower edge.
 */
export function screenToPixel(placement: Placement, voxels: Size, flipY: boolean, x: number, y: number): SlicePixel | undefined {
  const col = Math.floor(((x - placement.left) / placement.width) * voxels.width);
  const drawnRow = Math.floor(((y - placement.top) / placement.height) * voxels.height);
  if (col < 0 || drawnRow < 0 || col >= voxels.width || drawnRow >= voxels.height) return undefined;
  return { col, row: flipY ? voxels.height - 1 - drawnRow : drawnRow };
}

/** The pane position of the centre of a slice pixel (the inverse of screenToPixel). */
export function pixelToScreen(placement: Placement, voxels: Size, flipY: boolean, { col, row }: SlicePixel): { x: number; y: number } {
  const drawnRow = flipY ? voxels.height - 1 - row : row;
  return {
    x: placement.left + ((col + 0.5) / voxels.width) * placement.width,
    y: placement.top + ((drawnRow + 0.5) / voxels.height) * placement.height,
  };
}

/** The pan that keeps the image point under the pane position `at` in place when the zoom changes to `zoom`. */
export function panForZoomAt(before: Placement, pane: Size, fitted: Size, zoom: number, at: { x: number; y: number }): [number, number] {
  const width = fitted.width * zoom;
  const height = fitted.height * zoom;
  const left = at.x - ((at.x - before.left) / before.width) * width;
  const top = at.y - ((at.y - before.top) / before.height) * height;
  return [(left - (pane.width - width) / 2) / width, (top - (pane.height - height) / 2) / height];
}

/**
 * The slice position under a pane position (x, y) in continuous pixel coordinates (pixel centres at
 * whole numbers, as pixelToScreen takes them), kept within the image's edges: where a ruler end goes.
 */
export function screenToSlicePoint(placement: Placement, voxels: Size, flipY: boolean, x: number, y: number): SlicePixel {
  const clamp = (v: number, size: number) => Math.min(size - 0.5, Math.max(-0.5, v));
  const col = clamp(((x - placement.left) / placement.width) * voxels.width - 0.5, voxels.width);
  const drawnRow = clamp(((y - placement.top) / placement.height) * voxels.height - 0.5, voxels.height);
  return { col, row: flipY ? voxels.height - 1 - drawnRow : drawnRow };
}
