// The outline of the region of a map at or above a threshold (edge-based): a pixel is on the contour
// when it is inside the region and one of its 4 neighbours is outside it or beyond the slice's edge.

/** Marks contour pixels of {value >= threshold} in `out` (1 = contour, 0 = not); returns how many there are. */
export function contourMask(slice: Float32Array, width: number, height: number, threshold: number, out: Uint8Array): number {
  const inside = (x: number, y: number) => x >= 0 && y >= 0 && x < width && y < height && slice[y * width + x] >= threshold;
  let count = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const onEdge = inside(x, y) && !(inside(x - 1, y) && inside(x + 1, y) && inside(x, y - 1) && inside(x, y + 1));
      out[y * width + x] = onEdge ? 1 : 0;
      if (onEdge) count++;
    }
  }
  return count;
}
