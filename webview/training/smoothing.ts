// The smoothed training-loss line drawn over the noisy per-step losses.

/**
 * Debiased exponential moving average (as TensorBoard's smoothing): m_t = w m_(t-1) + (1 - w) x_t with
 * m_0 = 0, shown as m_t / (1 - w^t) so that the first values are not pulled towards 0. w in [0, 1).
 */
export function smoothLosses(values: readonly number[], weight: number): number[] {
  let moving = 0;
  return values.map((value, i) => {
    moving = weight * moving + (1 - weight) * value;
    return moving / (1 - weight ** (i + 1));
  });
}
