// Display size of a slice: its physical extent (voxels x spacing, in mm) scaled to fit a box.

export interface Size {
  width: number;
  height: number;
}

/**
 * The largest size with the aspect of the slice's physical extent (width * spacingX : height * spacingY)
 * that fits the box. Spacings that are not positive numbers count as 1.
 */
export function fitToBox(voxels: Size, spacing: readonly [number, number, number], box: Size): Size {
  const mm = (s: number) => (s > 0 && Number.isFinite(s) ? s : 1);
  const extentW = voxels.width * mm(spacing[0]);
  const extentH = voxels.height * mm(spacing[1]);
  const scale = Math.max(0, Math.min(box.width / extentW, box.height / extentH));
  return { width: Math.floor(extentW * scale), height: Math.floor(extentH * scale) };
}
