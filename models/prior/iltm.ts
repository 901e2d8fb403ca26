// Iterative Latent Token Masking (ILTM, methods.md §7): the pure rules of the loop that retrains the
// prior with the tokens of suspected anomalies masked. The loop itself is models/worker/priorJobs.ts.

/** The resampling threshold t is lowered by 12.5 % every iteration. */
export const ILTM_THRESHOLD_DECAY = 0.875;
/** The loop stops when the masked-token count changes by less than 1 % from the previous iteration. */
export const ILTM_CONVERGENCE = 0.01;
/** A pixel is anomalous when its KDE likelihood f_h(x) is below 0.005, i.e. -log f_h(x) > -log 0.005. */
export const ILTM_LIKELIHOOD = 0.005;

/** One iteration's record, stored in the prior's manifest. */
export interface IltmIteration {
  /** The resampling threshold t of the KDE maps. */
  threshold: number;
  /** Tokens masked over all training sequences. */
  maskedTokens: number;
}

/** t_k = t_1 * 0.875^(k - 1) for iteration k = 1, 2, ... */
export function iltmThreshold(initial: number, iteration: number): number {
  return initial * ILTM_THRESHOLD_DECAY ** (iteration - 1);
}

/**
 * The token keep mask (1 = keep, 0 = masked) of a size x size pixel map of KDE anomaly scores
 * (-log f_h, row-major): a latent x latent cell is masked when any pixel it covers is anomalous.
 */
export function latentKeepMask(kdeAnomaly: ArrayLike<number>, size: number, latent: number): Uint8Array {
  const cell = size / latent;
  if (!Number.isInteger(cell) || kdeAnomaly.length !== size * size)
    throw new Error(`latentKeepMask: a ${size}x${size} map (${kdeAnomaly.length} values) does not cover a ${latent}x${latent} grid`);
  const limit = -Math.log(ILTM_LIKELIHOOD);
  const keep = new Uint8Array(latent * latent).fill(1);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) if (kdeAnomaly[y * size + x] > limit) keep[Math.floor(y / cell) * latent + Math.floor(x / cell)] = 0;
  }
  return keep;
}

/** True when the masked count changed by less than ILTM_CONVERGENCE of the previous count (no change from 0 also counts). */
export function iltmConverged(previous: number, current: number): boolean {
  return previous === 0 ? current === 0 : Math.abs(current - previous) < ILTM_CONVERGENCE * previous;
}
