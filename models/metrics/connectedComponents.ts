// Connected regions of a binary mask. In a 2D image with 8-connectivity (a pixel touches its 8
// neighbours, diagonals included), as AUPRO counts ground-truth defects (methods.md §8, MVTec AD); in a
// grid (a volume, or an image as depth 1) with face connectivity (6 neighbours in 3D, 4 in 2D), as the
// post-processing removes small components and the viewer lists the regions above its threshold. Flood
// fill with an explicit stack: O(pixels), no recursion depth limit.

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

/**
 * Labels the face-connected regions (6-connected in 3D, 4-connected when depth is 1) of the voxels
 * where `mask` is nonzero, in an x-fastest grid of `dims`, numbered in raster order.
 */
export function labelGridComponents(mask: Uint8Array, dims: readonly [number, number, number]): Components {
  const [width, height, depth] = dims;
  if (mask.length !== width * height * depth) {
    throw new Error(`labelGridComponents: the mask has ${mask.length} voxels, expected ${width} x ${height} x ${depth}`);
  }
  const plane = width * height;
  const labels = new Int32Array(mask.length);
  const sizes: number[] = [];
  const stack: number[] = [];
  const visit = (voxel: number, region: number) => {
    if (mask[voxel] !== 0 && labels[voxel] === 0) {
      labels[voxel] = region;
      stack.push(voxel);
    }
  };
  for (let start = 0; start < mask.length; start++) {
    if (mask[start] === 0 || labels[start] !== 0) continue;
    const region = sizes.length + 1;
    let size = 0;
    visit(start, region);
    while (stack.length > 0) {
      const voxel = stack.pop()!;
      size++;
      const x = voxel % width;
      const y = Math.floor(voxel / width) % height;
      const z = Math.floor(voxel / plane);
      if (x > 0) visit(voxel - 1, region);
      if (x < width - 1) visit(voxel + 1, region);
      if (y > 0) visit(voxel - width, region);
      if (y < height - 1) visit(voxel + width, region);
      if (z > 0) visit(voxel - plane, region);
      if (z < depth - 1) visit(voxel + plane, region);
    }
    sizes.push(size);
  }
  return { labels, count: sizes.length, sizes };
}
