// Builds the viewer's page from script (the CSP allows no inline markup): a header (file, score, model),
// a toolbar (view, overlay, colormap, opacity, contour, side by side), a second row (zoom, reset, next
// anomalous slice, Score, the restoration browser, the 4D volume choice), a third (layout, label overlay), the slice slider with its score chart, the image panes, the colorbar,
// the status line (status, hover read-out, render info) and an error box. Styles: media/webview.css.

import type { Button, Checkbox, Dropdown } from '@vscode/webview-ui-toolkit';
import { METHODS, methodTooltip } from '../models/scoring/methods';
import { MAP_NAMES, type AnyMapName } from '../models/worker/protocol';
import { COLORMAP_NAMES } from './colormap';
import { element } from './dom';
import { VIEW_AXES } from './orthoSlice';
import { WINDOW_PRESETS } from './windowLevel';

/** One image pane: the slice canvas and the crosshair's two lines, over a caption; the patient directions at the image's edges. */
export interface PaneDom {
  root: HTMLElement;
  canvas: HTMLCanvasElement;
  crossH: HTMLElement;
  crossV: HTMLElement;
  caption: HTMLElement;
  edges: Record<'left' | 'right' | 'top' | 'bottom', HTMLElement>;
}

export interface ViewerDom {
  fileName: HTMLElement;
  score: HTMLElement;
  model: HTMLElement;
  viewSelect: Dropdown;
  overlaySelect: Dropdown;
  overlayToggle: Checkbox;
  colormapSelect: Dropdown;
  opacity: HTMLInputElement;
  opacityLabel: HTMLElement;
  contour: HTMLInputElement;
  contourLabel: HTMLElement;
  compareToggle: Checkbox;
  postProcessedToggle: Checkbox;
  scoreButton: Button;
  zoomOut: Button;
  zoomIn: Button;
  resetView: Button;
  nextAnomalous: Button;
  /** The gray window: a preset (or 'Custom' after dragging or typing), its width and level, editable. */
  windowPreset: Dropdown;
  windowWidth: HTMLInputElement;
  windowLevel: HTMLInputElement;
  /** Browses the model's gray image (reconstruction, mean restoration, restoration j): ◀, its name, ▶; hidden without restorations. */
  restorationGroup: HTMLElement;
  restorationPrevious: Button;
  restorationLabel: HTMLElement;
  restorationNext: Button;
  /** The volume of a 4D NIfTI (counted from 1) and the count; hidden for files of one volume. */
  volumeGroup: HTMLElement;
  volume: HTMLInputElement;
  volumeLabel: HTMLElement;
  /** The slice slider, its label and the slice score chart; hidden for 2D images. */
  sliceRow: HTMLElement;
  slice: HTMLInputElement;
  sliceLabel: HTMLElement;
  sliceChart: HTMLCanvasElement;
  /** The layout: one plane, or the three linked planes side by side; hidden for 2D images. */
  layoutSelect: Dropdown;
  /** The label overlay: "Open mask or volume as overlay…", its checkbox ("Show expert mask" while only offered) and its style (outline / fill). */
  openOverlayButton: Button;
  labelToggle: Checkbox;
  labelStyleSelect: Dropdown;
  /** The box the panes share: one plane shows the first pane (and the second, the reconstruction, side by side); three planes show all three. */
  viewport: HTMLElement;
  panes: [PaneDom, PaneDom, PaneDom];
  /** The colour overlay's colorbar: the gradient, the values at its ends (editable: the overlay's range) and the contour level. */
  colorbar: HTMLElement;
  colorbarCanvas: HTMLCanvasElement;
  colorbarLow: HTMLInputElement;
  colorbarHigh: HTMLInputElement;
  colorbarMarker: HTMLElement;
  status: HTMLElement;
  readout: HTMLElement;
  renderInfo: HTMLElement;
  errorBox: HTMLElement;
}

/** The overlay control's order: the anomaly maps, then the reconstruction. */
const OVERLAY_ORDER: AnyMapName[] = ['residual', 'alignment', 'ssim', 'ssimAlignment', 'nll', 'restoration', 'kde', 'reconstruction'];

/** The overlay choices among the maps `present`, in OVERLAY_ORDER, each with its one-line explanation as tooltip. */
export function overlayChoices(present: readonly AnyMapName[]): (Choice & { value: AnyMapName })[] {
  return OVERLAY_ORDER.filter((name) => present.includes(name)).map((name) => ({ value: name, label: METHODS[name].label, title: methodTooltip(name) }));
}

/** Offers exactly the maps `present` in the overlay dropdown (the prior's maps exist only with a prior). */
export function setOverlayChoices(select: Dropdown, present: readonly AnyMapName[]): void {
  select.replaceChildren(...optionElements(overlayChoices(present)));
}

const capitalized = (name: string) => name[0].toUpperCase() + name.slice(1);

function range(label: string, min: number, max: number): HTMLInputElement {
  return element<HTMLInputElement>('input', { attributes: { type: 'range', min: String(min), max: String(max), step: '1', 'aria-label': label } });
}

/** A dropdown option: its value, its text and an optional tooltip. */
interface Choice {
  value: string;
  label: string;
  title?: string;
}

function optionElements(choices: Choice[]): HTMLElement[] {
  return choices.map((c) => element('vscode-option', { text: c.label, attributes: { value: c.value, ...(c.title && { title: c.title }) } }));
}

function numberInput(label: string, title: string): HTMLInputElement {
  return element<HTMLInputElement>('input', { className: 'value-input', attributes: { type: 'number', step: 'any', 'aria-label': label, title } });
}

function dropdown(label: string, choices: Choice[], title: string): Dropdown {
  return element<Dropdown>('vscode-dropdown', { attributes: { 'aria-label': label, title } }, optionElements(choices));
}

function button(text: string, title: string, appearance = 'secondary'): Button {
  return element<Button>('vscode-button', { text, attributes: { title, 'aria-label': title, appearance } });
}

function labelled(text: string, control: HTMLElement, value: HTMLElement): HTMLElement {
  return element('label', { className: 'labelled' }, [element('span', { text }), control, value]);
}

function pane(label: string): PaneDom {
  const canvas = element<HTMLCanvasElement>('canvas', { className: 'scan', attributes: { 'aria-label': label } });
  const crossH = element('div', { className: 'crosshair horizontal', attributes: { 'aria-hidden': 'true' } });
  const crossV = element('div', { className: 'crosshair vertical', attributes: { 'aria-hidden': 'true' } });
  const caption = element('div', { className: 'pane-caption' });
  const edge = (side: string) => element('div', { className: `orientation ${side}`, attributes: { 'aria-hidden': 'true' } });
  const edges = { left: edge('left'), right: edge('right'), top: edge('top'), bottom: edge('bottom') };
  const root = element('div', { className: 'pane', attributes: { tabindex: '0' } }, [canvas, crossH, crossV, caption, ...Object.values(edges)]);
  return { root, canvas, crossH, crossV, caption, edges };
}

export function buildViewerDom(root: HTMLElement): ViewerDom {
  const fileName = element('span', { className: 'file-name', text: 'Loading…' });
  const score = element('span', { className: 'score', text: 'not scored' });
  const model = element('span', { className: 'model' });
  const header = element('header', { className: 'header' }, [fileName, score, model]);

  const viewChoices = VIEW_AXES.map((v) => ({ value: v, label: capitalized(v) }));
  const viewSelect = dropdown('View', viewChoices, 'View (v cycles; 1 axial, 2 coronal, 3 sagittal)');
  const overlaySelect = dropdown('Overlay', overlayChoices(MAP_NAMES), 'Anomaly map shown over the scan (m cycles)');
  const overlayToggle = element<Checkbox>('vscode-checkbox', { text: 'Overlay', attributes: { title: 'Show the overlay (o)' } });
  const colormapChoices = COLORMAP_NAMES.map((c) => ({ value: c, label: capitalized(c) }));
  const colormapSelect = dropdown('Colormap', colormapChoices, 'Colormap of this map (c cycles)');
  const opacity = range('Overlay opacity', 0, 100);
  const opacityLabel = element('span', { className: 'control-label' });
  const contour = range('Contour threshold', 0, 100);
  const contourLabel = element('span', { className: 'control-label wide' });
  const compareToggle = element<Checkbox>('vscode-checkbox', { text: 'Side by side', attributes: { title: 'Scan and reconstruction side by side (b)' } });
  const postProcessedToggle = element<Checkbox>('vscode-checkbox', {
    text: 'Post-processed',
    attributes: {
      title: 'Maps after the post-processing stage (polarity, eroded brain mask, median filter); uncheck for the raw maps as computed (scores again)',
    },
  });
  const scoreButton = button('Score', 'Score this scan with the trained model', 'primary');
  const layoutChoices = [
    { value: 'single', label: 'One plane' },
    { value: 'planes', label: 'Three planes' },
  ];
  const layoutSelect = dropdown('Layout', layoutChoices, 'One plane, or axial, coronal and sagittal side by side with one crosshair (l toggles)');
  const openOverlayButton = button('Open mask or volume as overlay…', 'Draw a label mask or a second volume in the grid of this scan over it');
  const labelToggle = element<Checkbox>('vscode-checkbox', { text: 'Mask', attributes: { title: 'Show the label overlay' } });
  const labelStyleChoices = [
    { value: 'outline', label: 'Outline' },
    { value: 'fill', label: 'Fill' },
  ];
  const labelStyleSelect = dropdown('Label overlay style', labelStyleChoices, 'The label overlay as its outline or as a filled tint');
  const toolbar = element('div', { className: 'toolbar', attributes: { role: 'toolbar', 'aria-label': 'Display' } }, [
    viewSelect,
    overlaySelect,
    overlayToggle,
    colormapSelect,
    labelled('Opacity', opacity, opacityLabel),
    labelled('Contour', contour, contourLabel),
    compareToggle,
    postProcessedToggle,
  ]);

  const zoomOut = button('−', 'Zoom out (-)');
  const zoomIn = button('+', 'Zoom in (+; or Ctrl/Cmd + wheel)');
  const resetView = button('Reset view', 'Reset zoom, pan, contrast and the overlay range (r)');
  const presetChoices = [...WINDOW_PRESETS.map(({ name, label }) => ({ value: name, label })), { value: 'custom', label: 'Custom' }];
  const windowPreset = dropdown('Contrast preset', presetChoices, 'Contrast preset (w cycles); dragging or typing a width or level makes it Custom');
  const windowWidth = numberInput('Window width', 'Window width: the intensity range from black to white');
  const windowLevel = numberInput('Window level', 'Window level: the intensity shown mid-gray');
  const contrastGroup = element('span', { className: 'labelled' }, [
    windowPreset,
    element('span', { text: 'W' }),
    windowWidth,
    element('span', { text: 'L' }),
    windowLevel,
  ]);
  const nextAnomalous = button('Next anomalous slice', 'Go to the next most anomalous slice (n)');
  const restorationPrevious = button('◀', 'Previous: reconstruction, mean restoration, restorations (,)');
  const restorationLabel = element('span', { className: 'control-label wide' });
  const restorationNext = button('▶', 'Next: reconstruction, mean restoration, restorations (.)');
  const restorationGroup = element('span', { className: 'labelled' }, [restorationPrevious, restorationLabel, restorationNext]);
  const volume = element<HTMLInputElement>('input', { attributes: { type: 'number', min: '1', step: '1', 'aria-label': 'Volume of the 4D file' } });
  const volumeLabel = element('span', { className: 'control-label' });
  const volumeGroup = labelled('Volume', volume, volumeLabel);
  const navigation = element('div', { className: 'toolbar', attributes: { role: 'toolbar', 'aria-label': 'Navigation' } }, [
    zoomOut,
    zoomIn,
    resetView,
    contrastGroup,
    nextAnomalous,
    scoreButton,
    restorationGroup,
    volumeGroup,
  ]);
  const layers = element('div', { className: 'toolbar', attributes: { role: 'toolbar', 'aria-label': 'Layout and label overlay' } }, [
    layoutSelect,
    openOverlayButton,
    labelToggle,
    labelStyleSelect,
  ]);

  const slice = range('Slice', 0, 0);
  const sliceLabel = element('span', { className: 'control-label' });
  const sliceChart = element<HTMLCanvasElement>('canvas', { className: 'slice-chart', attributes: { title: 'Slice scores: click to go to a slice' } });
  const sliceRow = element('div', { className: 'slice-row' }, [slice, sliceLabel, sliceChart]);

  const panes: [PaneDom, PaneDom, PaneDom] = [pane('Scan slice'), pane('Reconstruction or coronal slice'), pane('Sagittal slice')];
  const viewport = element(
    'div',
    {
      className: 'viewport',
      attributes: { title: 'Wheel: slice · drag: contrast · right/middle or Shift drag: pan · Ctrl/Cmd+wheel: zoom · click: crosshair' },
    },
    panes.map((p) => p.root),
  );

  const colorbarLow = numberInput('Overlay range low', 'Overlay value shown transparent (the colormap starts here)');
  const colorbarCanvas = element<HTMLCanvasElement>('canvas', {
    className: 'colorbar-gradient',
    attributes: { width: '256', height: '1', 'aria-hidden': 'true' },
  });
  const colorbarMarker = element('div', { className: 'colorbar-marker', attributes: { title: 'Contour threshold' } });
  const gradient = element('div', { className: 'colorbar-track' }, [colorbarCanvas, colorbarMarker]);
  const colorbarHigh = numberInput('Overlay range high', 'Overlay value shown in full colour (the colormap ends here)');
  const colorbar = element('div', { className: 'colorbar', attributes: { 'aria-label': 'Colorbar' } }, [colorbarLow, gradient, colorbarHigh]);

  const status = element('span', { className: 'status-text', attributes: { role: 'status' } });
  const readout = element('span', { className: 'readout', attributes: { 'aria-live': 'off' } });
  const renderInfo = element('span', { className: 'render-info' });
  const statusLine = element('footer', { className: 'status-line' }, [status, readout, renderInfo]);
  const errorBox = element('div', { className: 'error-box', attributes: { role: 'alert', hidden: '' } });

  root.append(header, toolbar, navigation, layers, sliceRow, errorBox, viewport, colorbar, statusLine);
  return {
    fileName,
    score,
    model,
    viewSelect,
    overlaySelect,
    overlayToggle,
    colormapSelect,
    opacity,
    opacityLabel,
    contour,
    contourLabel,
    compareToggle,
    postProcessedToggle,
    scoreButton,
    zoomOut,
    zoomIn,
    resetView,
    nextAnomalous,
    windowPreset,
    windowWidth,
    windowLevel,
    restorationGroup,
    restorationPrevious,
    restorationLabel,
    restorationNext,
    volumeGroup,
    volume,
    volumeLabel,
    sliceRow,
    slice,
    sliceLabel,
    sliceChart,
    layoutSelect,
    openOverlayButton,
    labelToggle,
    labelStyleSelect,
    viewport,
    panes,
    colorbar,
    colorbarCanvas,
    colorbarLow,
    colorbarHigh,
    colorbarMarker,
    status,
    readout,
    renderInfo,
    errorBox,
  };
}
