// The snapshot of the view: the shown panes side by side, each as the user sees it (the pane's
// background, the slice image with its overlay and contour where it is placed, scaled with the chosen
// interpolation, and the ruler layer), encoded as PNG for the host to save.

import type { Placement, Size } from './geometry';
import type { Interpolation } from './viewerState';

export interface SnapshotPane {
  size: Size;
  placement: Placement;
  /** The slice canvas (image, overlay and contour) and the annotation layer over it. */
  image: HTMLCanvasElement;
  annotations: HTMLCanvasElement;
  background: string;
}

/** The panes drawn into one canvas, left to right: as wide as the panes together, as high as the highest. */
export function composeSnapshot(panes: readonly SnapshotPane[], interpolation: Interpolation): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = panes.reduce((sum, pane) => sum + pane.size.width, 0);
  canvas.height = Math.max(0, ...panes.map((pane) => pane.size.height));
  const context = canvas.getContext('2d');
  if (!context) throw new Error('The snapshot has no 2D canvas to draw on');
  let left = 0;
  for (const pane of panes) {
    context.save();
    context.beginPath();
    context.rect(left, 0, pane.size.width, pane.size.height);
    context.clip();
    context.fillStyle = pane.background;
    context.fillRect(left, 0, pane.size.width, pane.size.height);
    context.imageSmoothingEnabled = interpolation === 'linear';
    const { placement } = pane;
    context.drawImage(pane.image, left + placement.left, placement.top, placement.width, placement.height);
    context.drawImage(pane.annotations, left, 0);
    context.restore();
    left += pane.size.width;
  }
  return canvas;
}

/** The canvas as PNG file bytes. */
export async function pngBytes(canvas: HTMLCanvasElement): Promise<Uint8Array> {
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
  if (!blob) throw new Error('The snapshot could not be encoded as PNG');
  return new Uint8Array(await blob.arrayBuffer());
}
