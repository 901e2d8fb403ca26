// Connected regions of a binary mask with 8-connectivity (a pixel touches its 8 neighbours, diagonals
// included), as AUPRO counts ground-truth defects (methods.md §8, MVTec AD). Flood fill with an
// explicit stack: O(pixels), no recursion depth limit.

export interface Components {
  /** Per pixel (row-major, width x height): 0 outside the mask, else the region number 1..count. */
  labels: Int32Array;
  count: number;
  /** sizes[r - 1] = number of pixels of region r. */
  sizes: number[];
}

/** Labels the 8-connected regions of the pixels where `mask` is nonzero, numbered in raster order. */
export function labelComponents(mask: Uint8Array, width: number, height: number): Components {
  if (mask.length !== width * height) {
    throw new Error(`labelComponents: the mask has ${mask.length} pixels, expected ${width} x ${height}`);
  }
  const labels = new Int32Array(mask.length);
  const sizes: number[] = [];
  const stack: number[] = [];
  for (let start = 0; start < mask.length; start++) {
    if (mask[start] === 0 || labels[start] !== 0) continue;
    const region = sizes.length + 1;
    let size = 0;
    labels[start] = region;
    stack.push(start);
    while (stack.length > 0) {
      const pixel = stack.pop()!;
      size++;
      const [x, y] = [pixel % width, Math.floor(pixel / width)];
      for (let ny = Math.max(0, y - 1); ny <= Math.min(height - 1, y + 1); ny++) {
        for (let nx = Math.max(0, x - 1); nx <= Math.min(width - 1, x + 1); nx++) {
          const neighbour = ny * width + nx;
          if (mask[neighbour] !== 0 && labels[neighbour] === 0) {
            labels[neighbour] = region;
            stack.push(neighbour);
          }
        }
      }
    }
    sizes.push(size);
  }
  return { labels, count: sizes.length, sizes };
}
