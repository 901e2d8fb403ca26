// The training panel's page: a live chart of a training's losses (lossChart.ts), its status line and a
// Cancel button. The host sends the run's data (trainingProtocol.ts): everything on 'ready', then new
// points in batches; the page redraws at most once per animation frame and reports each draw.

import { provideVSCodeDesignSystem, vsCodeButton } from '@vscode/webview-ui-toolkit';
import { element } from '../dom';
import { connectToHost } from '../vscodeApi';
import { drawLossChart } from './lossChart';
import { endedText, runningText } from './statusText';
import type { HostToTrainingPanel, TrainingPanelToHost, TrainingSnapshot } from './trainingProtocol';

provideVSCodeDesignSystem().register(vsCodeButton());

const host = connectToHost<TrainingPanelToHost, HostToTrainingPanel>();

const title = element('h2', { className: 'title', text: 'Training' });
const status = element('div', { className: 'status', attributes: { role: 'status' } });
const cancelButton = element('vscode-button', {
  text: 'Cancel',
  attributes: { appearance: 'secondary', title: 'Cancel the training; the last completed epoch stays saved' },
});
const canvas = element<HTMLCanvasElement>('canvas', { className: 'loss-chart', attributes: { 'aria-label': 'Loss curves' } });
const legendItem = (className: string, text: string) => element('span', { className: `legend-item ${className}`, text });
const legend = element('div', { className: 'legend' }, [
  legendItem('legend-loss', 'training loss (per step, smoothed)'),
  legendItem('legend-validation', 'validation loss (per epoch)'),
  legendItem('legend-best', 'best epoch'),
  legendItem('legend-epoch', 'epoch end'),
]);
// The legend above the chart: at the bottom right, VS Code's notifications would cover it.
document.getElementById('app')!.append(element('div', { className: 'header' }, [title, cancelButton]), status, legend, canvas);

/** The run as the page knows it: the host's snapshot plus the updates since. */
let run: TrainingSnapshot = { title: 'Training', steps: [], epochs: [] };
let drawPending = false;

cancelButton.addEventListener('click', () => {
  if (run.ended) return;
  cancelButton.setAttribute('disabled', '');
  status.textContent = 'Cancelling after the current step…';
  host.post({ type: 'cancel' });
});

host.onMessage((message) => {
  switch (message.type) {
    case 'snapshot':
      run = message.snapshot;
      break;
    case 'update':
      run.steps.push(...message.steps);
      run.epochs.push(...message.epochs);
      run.status = message.status;
      break;
    case 'ended':
      run = { ...run, ended: { outcome: message.outcome, message: message.message } };
      break;
    case 'pressCancel':
      cancelButton.click();
      return;
  }
  scheduleDraw();
});

function scheduleDraw(): void {
  if (drawPending) return;
  drawPending = true;
  requestAnimationFrame(() => {
    drawPending = false;
    draw();
  });
}

function draw(): void {
  title.textContent = run.title;
  cancelButton.hidden = run.ended !== undefined;
  if (run.ended) status.textContent = endedText(run.ended.outcome, run.ended.message);
  else if (run.status && !cancelButton.hasAttribute('disabled')) status.textContent = runningText(run.status);
  else if (!run.status) status.textContent = 'Preparing the data…';
  status.dataset.outcome = run.ended?.outcome ?? 'running';
  // A running training's axis reaches its planned end; a finished one's ends at its last step.
  const plannedSteps = run.status && !run.ended ? run.status.plannedEndStep : 0;
  const drawn = drawLossChart(canvas, { steps: run.steps, epochs: run.epochs, plannedSteps, bestEpoch: run.status?.bestEpoch });
  host.post({ type: 'drawn', report: { lossPoints: run.steps.length, ...drawn, statusText: status.textContent ?? '', paintedPixels: paintedPixels(canvas) } });
}

/** Canvas pixels with any paint (alpha > 0). */
function paintedPixels(chart: HTMLCanvasElement): number {
  const context = chart.getContext('2d');
  if (!context || chart.width === 0 || chart.height === 0) return 0;
  const alpha = context.getImageData(0, 0, chart.width, chart.height).data;
  let painted = 0;
  for (let i = 3; i < alpha.length; i += 4) if (alpha[i] > 0) painted++;
  return painted;
}

new ResizeObserver(scheduleDraw).observe(canvas);
host.post({ type: 'ready' });
