// How a slice of any shape meets the model's square input (methods.md §9) and how the model's maps go
// back to the slice. 'pad' (new models) keeps the aspect ratio: the slice is centred on a square of
// side max(w, h) filled with 0 (the background of a normalized scan), then shrunk anti-aliased (area
// mean); maps are enlarged to that square and cropped. 'stretch' (models trained before) resizes the
// slice to the square directly. Training and scoring both go through these functions.
import { resizeBilinear, resizeImage } from './resize';

export type AspectPolicy = 'pad' | 'stretch';

/** The model input (size x size) of a w x h slice. */
export function toModelInput(slice: Float32Array, w: number, h: number, size: number, aspect: AspectPolicy): Float32Array {
  if (aspect === 'stretch' || w === h) return resizeImage(slice, w, h, size, size);
  const side = Math.max(w, h);
  const square = new Float32Array(side * side);
  const [left, top] = [(side - w) >> 1, (side - h) >> 1];
  for (let y = 0; y < h; y++) square.set(slice.subarray(y * w, (y + 1) * w), (top + y) * side + left);
  return resizeImage(square, side, side, size, size);
}

/** A map on a gridW x gridH grid over the model's input (the input itself, or the token grid) back at the slice's w x h, bilinear. */
export function fromModelGrid(map: Float32Array, gridW: number, gridH: number, w: number, h: number, aspect: AspectPolicy): Float32Array {
  if (aspect === 'stretch' || w === h) return resizeBilinear(map, gridW, gridH, w, h);
  const side = Math.max(w, h);
  const square = resizeBilinear(map, gridW, gridH, side, side);
  const [left, top] = [(side - w) >> 1, (side - h) >> 1];
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) out.set(square.subarray((top + y) * side + left, (top + y) * side + left + w), y * w);
  return out;
}
