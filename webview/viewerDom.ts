// Builds the viewer's page from script (the CSP allows no inline markup): a header (file, score, model),
// a toolbar (overlay, on/off, opacity, Score), the slice slider with its score chart, the canvas,
// the status line and an error box. Styles are in media/webview.css. Returns the elements main.ts drives.

import type { Button, Checkbox, Dropdown } from '@vscode/webview-ui-toolkit';
import { element } from './dom';

export interface ViewerDom {
  fileName: HTMLElement;
  score: HTMLElement;
  model: HTMLElement;
  overlaySelect: Dropdown;
  overlayToggle: Checkbox;
  opacity: HTMLInputElement;
  opacityLabel: HTMLElement;
  scoreButton: Button;
  /** The slice slider, its label and the slice score chart; hidden for 2D images. */
  sliceRow: HTMLElement;
  slice: HTMLInputElement;
  sliceLabel: HTMLElement;
  sliceChart: HTMLCanvasElement;
  /** The box the canvas is fitted into. */
  viewport: HTMLElement;
  canvas: HTMLCanvasElement;
  status: HTMLElement;
  renderInfo: HTMLElement;
  errorBox: HTMLElement;
}

const OVERLAY_CHOICES = [
  { value: 'residual', label: 'Residual' },
  { value: 'alignment', label: 'Alignment map' },
  { value: 'reconstruction', label: 'Reconstruction' },
];

function range(label: string, min: number, max: number): HTMLInputElement {
  return element<HTMLInputElement>('input', { attributes: { type: 'range', min: String(min), max: String(max), step: '1', 'aria-label': label } });
}

export function buildViewerDom(root: HTMLElement): ViewerDom {
  const fileName = element('span', { className: 'file-name', text: 'Loading…' });
  const score = element('span', { className: 'score', text: 'not scored' });
  const model = element('span', { className: 'model' });
  const header = element('header', { className: 'header' }, [fileName, score, model]);

  const options = OVERLAY_CHOICES.map((c) => element('vscode-option', { text: c.label, attributes: { value: c.value } }));
  const overlaySelect = element<Dropdown>('vscode-dropdown', { attributes: { 'aria-label': 'Overlay', disabled: '' } }, options);
  const overlayToggle = element<Checkbox>('vscode-checkbox', { text: 'Overlay', attributes: { disabled: '' } });
  const opacity = range('Overlay opacity', 0, 100);
  const opacityLabel = element('span', { className: 'control-label' });
  const opacityControl = element('label', { className: 'opacity' }, [element('span', { text: 'Opacity' }), opacity, opacityLabel]);
  const scoreButton = element<Button>('vscode-button', { text: 'Score', attributes: { title: 'Score this scan with the trained model' } });
  const toolbar = element('div', { className: 'toolbar', attributes: { role: 'toolbar' } }, [overlaySelect, overlayToggle, opacityControl, scoreButton]);

  const slice = range('Slice', 0, 0);
  const sliceLabel = element('span', { className: 'control-label' });
  const sliceChart = element<HTMLCanvasElement>('canvas', { className: 'slice-chart', attributes: { title: 'Slice scores: click to go to a slice' } });
  const sliceRow = element('div', { className: 'slice-row' }, [slice, sliceLabel, sliceChart]);

  const canvas = element<HTMLCanvasElement>('canvas', { className: 'scan', attributes: { 'aria-label': 'Scan slice' } });
  const viewport = element('div', { className: 'viewport' }, [canvas]);

  const status = element('span', { className: 'status-text', attributes: { role: 'status' } });
  const renderInfo = element('span', { className: 'render-info' });
  const statusLine = element('footer', { className: 'status-line' }, [status, renderInfo]);
  const errorBox = element('div', { className: 'error-box', attributes: { role: 'alert', hidden: '' } });

  root.append(header, toolbar, sliceRow, errorBox, viewport, statusLine);
  return { fileName, score, model, overlaySelect, overlayToggle, opacity, opacityLabel, scoreButton, sliceRow, slice, sliceLabel, sliceChart, viewport, canvas, status, renderInfo, errorBox };
}
