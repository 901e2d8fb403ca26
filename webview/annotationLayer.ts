// The layer over a pane's image that the ruler is drawn on: a canvas the size of the pane, which the
// snapshot (snapshot.ts) draws over the image as the pane shows it.

import { element } from './dom';
import type { Size } from './geometry';

/** A ruler on screen: its ends in pane pixels and its label. */
export interface ScreenRuler {
  from: { x: number; y: number };
  to: { x: number; y: number };
  label: string;
}

/** The ruler's colour: yellow, apart from the cyan contour, the green crosshair and every colormap's warm end. */
export const RULER_COLOUR = '#ffd600';

export function createAnnotationLayer(): HTMLCanvasElement {
  return element<HTMLCanvasElement>('canvas', { className: 'annotations', attributes: { 'aria-hidden': 'true' } });
}

/** Clears the layer to the pane's size and draws the ruler (when given): the line, a tick at each end and the label beside its end. */
export function drawAnnotations(canvas: HTMLCanvasElement, size: Size, ruler: ScreenRuler | undefined): void {
  if (canvas.width !== size.width || canvas.height !== size.height) {
    canvas.width = size.width;
    canvas.height = size.height;
  }
  const context = canvas.getContext('2d');
  if (!context) return;
  context.clearRect(0, 0, canvas.width, canvas.height);
  if (!ruler) return;
  const { from, to } = ruler;
  context.strokeStyle = context.fillStyle = RULER_COLOUR;
  context.lineWidth = 2;
  context.beginPath();
  context.moveTo(from.x, from.y);
  context.lineTo(to.x, to.y);
  context.stroke();
  for (const end of [from, to]) {
    context.beginPath();
    context.arc(end.x, end.y, 3, 0, 2 * Math.PI);
    context.fill();
  }
  context.font = '13px sans-serif';
  context.lineWidth = 3;
  context.strokeStyle = 'black';
  const at = { x: to.x + 8, y: to.y - 8 };
  context.strokeText(ruler.label, at.x, at.y);
  context.fillText(ruler.label, at.x, at.y);
}
