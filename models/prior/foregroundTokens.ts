// Which tokens of a slice's latent grid lie on the body (or the part): the cells of the model input with
// any pixel above the foreground threshold. The background around a brain is predicted almost perfectly
// by the prior; calibrating lambda_s and lambda_p on all tokens would put their percentiles among those
// near-zero NLLs and set the thresholds far too low for the tokens that matter (issue 11, methods.md §6).
import { FOREGROUND_THRESHOLD } from '../io/dataset';

/** 1 for each token of the latent x latent grid whose size/latent-pixel cell of `slice` (size x size, row-major) has a pixel > FOREGROUND_THRESHOLD. */
export function foregroundTokenMask(slice: Float32Array, size: number, latent: number): Uint8Array {
  const cell = size / latent;
  if (!Number.isInteger(cell) || slice.length !== size * size) {
    throw new Error(`foregroundTokenMask: a ${size}x${size} slice (${slice.length} values) does not cover a ${latent}x${latent} grid`);
  }
  const mask = new Uint8Array(latent * latent);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) if (slice[y * size + x] > FOREGROUND_THRESHOLD) mask[Math.floor(y / cell) * latent + Math.floor(x / cell)] = 1;
  }
  return mask;
}

/** The values of `maps` at the tokens their `masks` keep, concatenated; all values when no token is kept (a slice set without foreground). */
export function valuesAtTokens(maps: Float32Array[], masks: Uint8Array[]): { values: Float32Array; foregroundOnly: boolean } {
  const kept: number[] = [];
  maps.forEach((map, s) => map.forEach((value, i) => masks[s][i] === 1 && kept.push(value)));
  if (kept.length > 0) return { values: Float32Array.from(kept), foregroundOnly: true };
  const all = new Float32Array(maps.reduce((n, m) => n + m.length, 0));
  maps.reduce((offset, m) => (all.set(m, offset), offset + m.length), 0);
  return { values: all, foregroundOnly: false };
}
