// The per-slice score chart under the slice slider: one bar per slice (height = its score relative to
// the highest), the current slice marked. Clicking a bar selects that slice.

/** The slice under a horizontal position x (CSS pixels from the chart's left edge) of a chart `width` wide. */
export function sliceAtPosition(x: number, width: number, depth: number): number {
  return Math.min(depth - 1, Math.max(0, Math.floor((x / width) * depth)));
}

/** A colour from the VS Code theme, or the fallback outside VS Code. */
export function themeColor(element: Element, variable: string, fallback: string): string {
  return getComputedStyle(element).getPropertyValue(variable).trim() || fallback;
}

export function drawSliceChart(canvas: HTMLCanvasElement, sliceScores: readonly number[], current: number): void {
  const ratio = window.devicePixelRatio || 1;
  canvas.width = Math.max(1, Math.round(canvas.clientWidth * ratio));
  canvas.height = Math.max(1, Math.round(canvas.clientHeight * ratio));
  const context = canvas.getContext('2d');
  if (!context || sliceScores.length === 0) return;
  const { width, height } = canvas;
  const barWidth = width / sliceScores.length;
  const highest = Math.max(...sliceScores.filter(Number.isFinite), 0);
  context.clearRect(0, 0, width, height);
  context.fillStyle = themeColor(canvas, '--vscode-charts-orange', '#d18616');
  sliceScores.forEach((score, z) => {
    const barHeight = highest > 0 && Number.isFinite(score) ? (score / highest) * height : 0;
    context.fillRect(z * barWidth, height - barHeight, Math.max(1, barWidth - 1), barHeight);
  });
  context.fillStyle = themeColor(canvas, '--vscode-focusBorder', '#007fd4');
  context.fillRect(current * barWidth, 0, Math.max(2 * ratio, barWidth), height);
}
