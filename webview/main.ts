// The scan viewer in the custom editor's webview: shows a scan slice by slice with an anomaly map
// over it, and reports every render to the host (messages: webview/protocol.ts). The host sends the
// scan, then the overlays once scored; this page sends 'ready' once, 'score' on the button, and
// 'rendered' after each draw.

import { provideVSCodeDesignSystem, vsCodeButton, vsCodeCheckbox, vsCodeDropdown, vsCodeOption } from '@vscode/webview-ui-toolkit';
import type { MapName } from '../models/worker/protocol';
import { fitToBox } from './geometry';
import type { HostToWebview, RenderReport } from './protocol';
import { renderSlice } from './render';
import { loadOverlays, loadScan, sliceRequestFor, type Overlays, type Scan } from './scene';
import { drawSliceChart, sliceAtPosition } from './sliceChart';
import { buildViewerDom } from './viewerDom';
import { clampSlice, DEFAULT_STATE, middleSlice, mostAnomalousSlice, pageStep, type ViewerState } from './viewerState';
import { connectToHost } from './vscodeApi';

provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeCheckbox(), vsCodeDropdown(), vsCodeOption());

const host = connectToHost();
const dom = buildViewerDom(document.getElementById('app')!);
const savedState = host.savedState();
let state: ViewerState = savedState ?? DEFAULT_STATE;
let scan: Scan | undefined;
let overlays: Overlays | undefined;
/** The first scan after a reload keeps the saved slice; later scans start in the middle. */
let restoringSlice = savedState !== undefined;

function depth(): number {
  return scan?.image.dims[2] ?? 1;
}

/** Applies a change to the state, saves it, updates the controls and redraws. */
function update(change: Partial<ViewerState>): void {
  const next = { ...state, ...change };
  state = { ...next, slice: clampSlice(next.slice, depth()) };
  host.saveState(state);
  syncControls();
  render();
}

function render(): void {
  if (!scan) return;
  const { request, shown } = sliceRequestFor(scan, overlays, state);
  const drawn = renderSlice(request);
  if (dom.canvas.width !== drawn.width || dom.canvas.height !== drawn.height) {
    dom.canvas.width = drawn.width;
    dom.canvas.height = drawn.height;
  }
  dom.canvas.getContext('2d')?.putImageData(new ImageData(drawn.pixels, drawn.width, drawn.height), 0, 0);
  const report: RenderReport = { slice: state.slice, overlay: shown, opacity: state.opacity, imagePixels: drawn.imagePixels, overlayPixels: drawn.overlayPixels };
  const where = depth() > 1 ? `slice ${state.slice + 1}/${depth()}` : `${drawn.width}×${drawn.height}`;
  dom.renderInfo.textContent = `${where} · ${shown === 'none' ? 'no overlay' : `${shown}, ${report.overlayPixels} px`}`;
  host.post({ type: 'rendered', report });
}

/** Makes every control show the current state (setting a control only when it differs, to avoid echo events). */
function syncControls(): void {
  const volume = depth() > 1;
  dom.sliceRow.hidden = !volume;
  dom.slice.max = String(depth() - 1);
  if (dom.slice.valueAsNumber !== state.slice) dom.slice.value = String(state.slice);
  dom.sliceLabel.textContent = `slice ${state.slice + 1} / ${depth()}`;
  const percent = Math.round(state.opacity * 100);
  if (dom.opacity.valueAsNumber !== percent) dom.opacity.value = String(percent);
  dom.opacityLabel.textContent = `${percent} %`;
  dom.overlaySelect.disabled = !overlays;
  dom.overlayToggle.disabled = !overlays;
  dom.opacity.disabled = !overlays || state.overlay === 'reconstruction';
  if (dom.overlaySelect.value !== state.overlay) dom.overlaySelect.value = state.overlay;
  if (dom.overlayToggle.checked !== state.overlayOn) dom.overlayToggle.checked = state.overlayOn;
  if (volume && overlays) drawSliceChart(dom.sliceChart, overlays.sliceScores, state.slice);
  dom.sliceChart.hidden = !overlays;
}

/** Sizes the canvas on screen: as large as the viewport allows, with the voxels' physical aspect. */
function fitCanvas(): void {
  if (!scan) return;
  const [width, height] = scan.image.dims;
  const size = fitToBox({ width, height }, scan.spacing, { width: dom.viewport.clientWidth, height: dom.viewport.clientHeight });
  dom.canvas.style.width = `${size.width}px`;
  dom.canvas.style.height = `${size.height}px`;
}

function showError(message: string): void {
  dom.errorBox.textContent = message;
  dom.errorBox.hidden = message === '';
}

function onScan(message: Extract<HostToWebview, { type: 'scan' }>): void {
  scan = loadScan(message);
  overlays = undefined;
  dom.fileName.textContent = scan.name;
  dom.score.textContent = 'not scored';
  dom.model.textContent = '';
  showError('');
  fitCanvas();
  update({ slice: restoringSlice ? state.slice : middleSlice(depth()) });
  restoringSlice = false;
}

function onOverlays(message: Extract<HostToWebview, { type: 'overlays' }>): void {
  if (!scan) throw new Error('Overlays arrived before the scan they belong to');
  overlays = loadOverlays(message, scan);
  dom.score.textContent = `score ${overlays.score.toPrecision(3)}`;
  dom.model.textContent = `model ${overlays.model}`;
  showError('');
  // The first overlays show the residual at the most anomalous slice; after a reload the saved view stays.
  const firstLook = { overlay: 'residual' as const, overlayOn: true, slice: mostAnomalousSlice(overlays.sliceScores) ?? state.slice };
  update({ ...(state.hadOverlays ? {} : firstLook), hadOverlays: true });
}

host.onMessage((message) => {
  try {
    switch (message.type) {
      case 'scan':
        return onScan(message);
      case 'overlays':
        return onOverlays(message);
      case 'status':
        dom.status.textContent = message.text;
        return;
      case 'error':
        return showError(message.message);
    }
  } catch (error) {
    showError(error instanceof Error ? error.message : String(error));
  }
});

dom.overlaySelect.addEventListener('change', () => {
  const overlay = dom.overlaySelect.value as MapName;
  if (overlay !== state.overlay) update({ overlay, overlayOn: true });
});
dom.overlayToggle.addEventListener('change', () => {
  if (dom.overlayToggle.checked !== state.overlayOn) update({ overlayOn: dom.overlayToggle.checked });
});
dom.opacity.addEventListener('input', () => update({ opacity: dom.opacity.valueAsNumber / 100 }));
dom.slice.addEventListener('input', () => update({ slice: dom.slice.valueAsNumber }));
dom.scoreButton.addEventListener('click', () => host.post({ type: 'score' }));
dom.sliceChart.addEventListener('click', (event) => update({ slice: sliceAtPosition(event.offsetX, dom.sliceChart.clientWidth, depth()) }));

// Mouse wheel over the image: up goes to the next slice, down to the previous one (as in niivue).
dom.canvas.addEventListener(
  'wheel',
  (event) => {
    if (depth() === 1 || event.deltaY === 0) return;
    event.preventDefault();
    update({ slice: state.slice + (event.deltaY < 0 ? 1 : -1) });
  },
  { passive: false },
);

// Keys, unless a control that uses them itself has the focus: arrows and page keys move through the slices, 'o' toggles the overlay.
window.addEventListener('keydown', (event) => {
  const target = event.target as HTMLElement | null;
  if (event.ctrlKey || event.metaKey || event.altKey || target?.closest('input, textarea, vscode-dropdown')) return;
  const steps: Record<string, number> = { ArrowUp: 1, ArrowDown: -1, PageUp: pageStep(depth()), PageDown: -pageStep(depth()) };
  if (event.key in steps && depth() > 1) {
    event.preventDefault();
    update({ slice: state.slice + steps[event.key] });
  } else if (event.key.toLowerCase() === 'o' && overlays) {
    update({ overlayOn: !state.overlayOn });
  }
});

new ResizeObserver(() => {
  fitCanvas();
  if (overlays && depth() > 1) drawSliceChart(dom.sliceChart, overlays.sliceScores, state.slice);
}).observe(dom.viewport);

syncControls();
host.post({ type: 'ready' });
