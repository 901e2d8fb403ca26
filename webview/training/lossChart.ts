// Draws a training's loss curves on a canvas: the loss of every step (thin, thinned to the canvas's
// width) with its smoothed line over it, the validation loss per epoch (dots joined by a line), a dashed
// marker at the end of every epoch, labelled with its number above the plot (as many as fit), and the
// best epoch highlighted. Colours come from the VS Code theme.

import { themeColor } from '../sliceChart';
import { type Axis, axisFraction, axisTicks, lossAxis, spacedIndices } from './chartScale';
import { downsampleMinMax } from './downsample';
import { smoothLosses } from './smoothing';
import type { EpochPoint, StepPoint } from './trainingProtocol';

export interface LossChartData {
  steps: readonly StepPoint[];
  epochs: readonly EpochPoint[];
  /** The step axis ends here (the planned end of a running training), or at the last step if that is further. */
  plannedSteps: number;
  bestEpoch?: number;
}

/** What was drawn, for the page's report. */
export interface LossChartDrawn {
  drawnLossVertices: number;
  validationPoints: number;
  epochMarkers: number;
  epochLabels: number;
}

/** Weight w of the smoothed line's moving average (smoothing.ts). */
const SMOOTHING_WEIGHT = 0.9;
const Y_TICKS = 5;
/** Plot margins in CSS pixels: room for the loss labels on the left, the epoch labels above and the step labels below. */
const MARGIN = { left: 64, right: 12, top: 22, bottom: 22 };
/** Least distance between two epoch labels' centres, in CSS pixels. */
const EPOCH_LABEL_GAP = 28;

export function drawLossChart(canvas: HTMLCanvasElement, data: LossChartData): LossChartDrawn {
  const ratio = window.devicePixelRatio || 1;
  canvas.width = Math.max(1, Math.round(canvas.clientWidth * ratio));
  canvas.height = Math.max(1, Math.round(canvas.clientHeight * ratio));
  const context = canvas.getContext('2d');
  if (!context) return { drawnLossVertices: 0, validationPoints: 0, epochMarkers: 0, epochLabels: 0 };
  context.clearRect(0, 0, canvas.width, canvas.height);
  context.scale(ratio, ratio);
  const plot = {
    left: MARGIN.left,
    top: MARGIN.top,
    width: Math.max(1, canvas.clientWidth - MARGIN.left - MARGIN.right),
    height: Math.max(1, canvas.clientHeight - MARGIN.top - MARGIN.bottom),
  };
  const colours = {
    text: themeColor(canvas, '--vscode-descriptionForeground', '#888'),
    grid: themeColor(canvas, '--vscode-editorWidget-border', '#444'),
    loss: themeColor(canvas, '--vscode-charts-blue', '#3794ff'),
    validation: themeColor(canvas, '--vscode-charts-orange', '#d18616'),
    best: themeColor(canvas, '--vscode-charts-green', '#89d185'),
  };
  context.font = `11px ${themeColor(canvas, '--vscode-font-family', 'sans-serif')}`;

  const validation = data.epochs.filter((e): e is EpochPoint & { validationLoss: number } => e.validationLoss !== undefined);
  const lastStep = Math.max(data.steps.at(-1)?.step ?? 0, data.epochs.at(-1)?.step ?? 0);
  const xMax = Math.max(1, lastStep, data.plannedSteps);
  const yAxis = lossAxis([...data.steps.map((p) => p.loss), ...validation.map((e) => e.validationLoss)]);
  const x = (step: number) => plot.left + (step / xMax) * plot.width;
  const y = (loss: number) => plot.top + (1 - axisFraction(yAxis, loss)) * plot.height;

  drawAxes(context, plot, yAxis, xMax, colours);
  context.setLineDash([3, 3]);
  context.strokeStyle = colours.grid;
  for (const epoch of data.epochs)
    strokeLine(
      context,
      [
        [x(epoch.step), plot.top],
        [x(epoch.step), plot.top + plot.height],
      ],
      1,
    );
  context.setLineDash([]);
  const labelled = spacedIndices(
    data.epochs.map((e) => x(e.step)),
    EPOCH_LABEL_GAP,
  );
  context.fillStyle = colours.text;
  context.textAlign = 'center';
  context.textBaseline = 'bottom';
  for (const [n, i] of labelled.entries())
    context.fillText(n === 0 ? `epoch ${data.epochs[i].epoch}` : String(data.epochs[i].epoch), x(data.epochs[i].step), plot.top - 4);
  const best = data.epochs.filter((e) => e.epoch === data.bestEpoch).at(-1);
  if (best) {
    context.strokeStyle = colours.best;
    strokeLine(
      context,
      [
        [x(best.step), plot.top],
        [x(best.step), plot.top + plot.height],
      ],
      2,
    );
  }

  const buckets = Math.ceil(plot.width);
  const raw = downsampleMinMax(data.steps, buckets);
  const smooth = smoothLosses(
    data.steps.map((p) => p.loss),
    SMOOTHING_WEIGHT,
  );
  const smoothPoints = downsampleMinMax(
    data.steps.map((p, i) => ({ step: p.step, loss: smooth[i] })),
    buckets,
  );
  context.globalAlpha = 0.35;
  context.strokeStyle = colours.loss;
  strokeLine(
    context,
    raw.map((p) => [x(p.step), y(p.loss)]),
    1,
  );
  context.globalAlpha = 1;
  strokeLine(
    context,
    smoothPoints.map((p) => [x(p.step), y(p.loss)]),
    2,
  );

  context.strokeStyle = colours.validation;
  strokeLine(
    context,
    validation.map((e) => [x(e.step), y(e.validationLoss)]),
    2,
  );
  const bestValidation = validation.filter((e) => e.epoch === data.bestEpoch).at(-1);
  for (const e of validation) {
    context.fillStyle = e === bestValidation ? colours.best : colours.validation;
    context.beginPath();
    context.arc(x(e.step), y(e.validationLoss), 3.5, 0, 2 * Math.PI);
    context.fill();
  }
  return { drawnLossVertices: raw.length, validationPoints: validation.length, epochMarkers: data.epochs.length, epochLabels: labelled.length };
}

type Plot = { left: number; top: number; width: number; height: number };

function drawAxes(context: CanvasRenderingContext2D, plot: Plot, yAxis: Axis, xMax: number, colours: { text: string; grid: string }): void {
  context.strokeStyle = colours.grid;
  context.fillStyle = colours.text;
  context.textAlign = 'right';
  context.textBaseline = 'middle';
  for (const tick of axisTicks(yAxis, Y_TICKS)) {
    const ty = plot.top + (1 - axisFraction(yAxis, tick)) * plot.height;
    strokeLine(
      context,
      [
        [plot.left, ty],
        [plot.left + plot.width, ty],
      ],
      0.5,
    );
    context.fillText(tick.toPrecision(3), plot.left - 6, ty);
  }
  context.textBaseline = 'top';
  const bottom = plot.top + plot.height + 4;
  context.textAlign = 'left';
  context.fillText('0', plot.left, bottom);
  context.textAlign = 'right';
  context.fillText(`step ${xMax}`, plot.left + plot.width, bottom);
}

function strokeLine(context: CanvasRenderingContext2D, points: [number, number][], width: number): void {
  if (points.length === 0) return;
  context.lineWidth = width;
  context.beginPath();
  points.forEach(([px, py], i) => (i === 0 ? context.moveTo(px, py) : context.lineTo(px, py)));
  context.stroke();
}
