// Thinning a long loss curve for drawing: a canvas a few hundred pixels wide cannot show more than a
// couple of points per pixel column, but a training may report tens of thousands of steps.

import type { StepPoint } from './trainingProtocol';

/**
 * Min-max decimation: the points split into `buckets` runs of consecutive points, and each run keeps
 * only its lowest and highest point (in their original order), so spikes and dips survive. Curves of
 * at most 2 x buckets points come back unchanged.
 */
export function downsampleMinMax(points: readonly StepPoint[], buckets: number): StepPoint[] {
  if (points.length <= 2 * buckets || buckets < 1) return [...points];
  const kept: StepPoint[] = [];
  for (let b = 0; b < buckets; b++) {
    const start = Math.floor((b * points.length) / buckets);
    const end = Math.floor(((b + 1) * points.length) / buckets);
    let low = start;
    let high = start;
    for (let i = start + 1; i < end; i++) {
      if (points[i].loss < points[low].loss) low = i;
      if (points[i].loss > points[high].loss) high = i;
    }
    if (low === high) kept.push(points[low]);
    else kept.push(points[Math.min(low, high)], points[Math.max(low, high)]);
  }
  return kept;
}
