// Curves as lists of points, and the area under them by the trapezoid rule.

export interface CurvePoint {
  x: number;
  y: number;
}

/**
 * Trapezoid area under a curve whose x never decreases, from its first point up to `xMax` (default:
 * the whole curve); the segment that crosses `xMax` is cut there by linear interpolation.
 */
export function trapezoidArea(points: readonly CurvePoint[], xMax = Infinity): number {
  let area = 0;
  for (let k = 1; k < points.length; k++) {
    const [a, b] = [points[k - 1], points[k]];
    if (a.x >= xMax) break;
    const end = b.x > xMax ? { x: xMax, y: a.y + ((b.y - a.y) * (xMax - a.x)) / (b.x - a.x) } : b;
    area += ((end.x - a.x) * (a.y + end.y)) / 2;
  }
  return area;
}

/**
 * At most `maxPoints` points of a curve for plotting: evenly spaced along the list, keeping the first
 * and the last.
 */
export function thinCurve(points: readonly CurvePoint[], maxPoints: number): CurvePoint[] {
  if (points.length <= maxPoints) return points.slice();
  const step = (points.length - 1) / (maxPoints - 1);
  return Array.from({ length: maxPoints }, (_, k) => points[Math.round(k * step)]);
}
