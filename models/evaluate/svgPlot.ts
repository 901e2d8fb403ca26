// A small line chart of curves on the unit square (ROC, precision-recall) as a standalone SVG text,
// with no dependency: axes with ticks at 0, 0.5 and 1, one polyline per curve, a legend.

import type { CurvePoint } from '../metrics/curve';

export interface PlotCurve {
  label: string;
  points: CurvePoint[];
}

export interface PlotOptions {
  title: string;
  xName: string;
  yName: string;
  /** Draw the chance line y = x (ROC). */
  diagonal: boolean;
  /** Where the legend goes: away from where the curves usually run (bottom for ROC, top for PR). */
  legend: 'top' | 'bottom';
}

const SIZE = 260;
const MARGIN = { left: 40, right: 10, top: 24, bottom: 42 };
const PLOT = SIZE - MARGIN.left - MARGIN.right;
const COLORS = ['#d62728', '#1f77b4', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'];

const px = (x: number) => (MARGIN.left + x * PLOT).toFixed(1);
const py = (y: number) => (MARGIN.top + (1 - y) * PLOT).toFixed(1);
const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** An SVG chart of the curves. */
export function svgCurvePlot(curves: PlotCurve[], { title, xName, yName, diagonal, legend }: PlotOptions): string {
  const ticks = [0, 0.5, 1].flatMap((t) => [
    `<text x="${px(t)}" y="${MARGIN.top + PLOT + 13}" text-anchor="middle">${t}</text>`,
    `<text x="${MARGIN.left - 6}" y="${py(t)}" text-anchor="end" dominant-baseline="middle">${t}</text>`,
  ]);
  const lines = curves.map(({ points }, k) => {
    const path = points.map((p) => `${px(p.x)},${py(p.y)}`).join(' ');
    return `<polyline fill="none" stroke="${COLORS[k % COLORS.length]}" stroke-width="1.5" points="${path}"/>`;
  });
  const legendTop = legend === 'top' ? MARGIN.top + 14 : MARGIN.top + PLOT - 6 - 14 * (curves.length - 1);
  const legendLines = curves.map(({ label }, k) => {
    const y = legendTop + 14 * k;
    const color = COLORS[k % COLORS.length];
    return `<rect x="${MARGIN.left + PLOT - 90}" y="${y - 8}" width="10" height="3" fill="${color}"/><text x="${MARGIN.left + PLOT - 76}" y="${y}">${escapeXml(label)}</text>`;
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${SIZE}" height="${SIZE}" viewBox="0 0 ${SIZE} ${SIZE}" font-family="sans-serif" font-size="10">`,
    `<rect width="${SIZE}" height="${SIZE}" fill="white"/>`,
    `<text x="${SIZE / 2}" y="14" text-anchor="middle" font-size="12">${escapeXml(title)}</text>`,
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${PLOT}" height="${PLOT}" fill="none" stroke="#888"/>`,
    diagonal ? `<line x1="${px(0)}" y1="${py(0)}" x2="${px(1)}" y2="${py(1)}" stroke="#ccc" stroke-dasharray="3,3"/>` : '',
    ...ticks,
    `<text x="${MARGIN.left + PLOT / 2}" y="${SIZE - 6}" text-anchor="middle">${escapeXml(xName)}</text>`,
    `<text transform="translate(12 ${MARGIN.top + PLOT / 2}) rotate(-90)" text-anchor="middle">${escapeXml(yName)}</text>`,
    ...lines,
    ...legendLines,
    '</svg>',
  ].join('\n');
}
