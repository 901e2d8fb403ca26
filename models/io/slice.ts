// Axial slices of a Volume as 2D images the way a viewer shows them: row-major, top row first. NIfTI
// volumes are read in canonical RAS (orientation.ts), rows bottom-up (y = 0 posterior), so their rows
// are flipped to put anterior at the top, as the webview shows volumes; x runs from the patient's left
// to right (neurological convention). 2D images are stored top-down already. Training, scoring and
// display must all slice through these two functions so that PNG slices and NIfTI volumes agree.

import type { Volume } from './volume';

/** Slice z as a row-major image (y then x, top row first) of dims[0] x dims[1] pixels. */
export function axialSlice(v: Volume, z: number): Float32Array {
  const [nx, ny] = v.dims;
  const image = new Float32Array(nx * ny);
  for (let row = 0; row < ny; row++) {
    const start = (z * ny + storedRow(v, row)) * nx;
    image.set(v.data.subarray(start, start + nx), row * nx);
  }
  return image;
}

/** The inverse of axialSlice: writes a row-major image (top row first) into slice z of the volume. */
export function setAxialSlice(v: Volume, z: number, image: Float32Array): void {
  const [nx, ny] = v.dims;
  for (let row = 0; row < ny; row++) {
    v.data.set(image.subarray(row * nx, (row + 1) * nx), (z * ny + storedRow(v, row)) * nx);
  }
}

/** The y index in the volume of displayed row `row`. */
function storedRow(v: Volume, row: number): number {
  return v.rowOrder === 'bottom-up' ? v.dims[1] - 1 - row : row;
}
