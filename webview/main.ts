// The scan viewer in the custom editor's webview: shows a scan in an axial, coronal or sagittal view
// (one or, side by side, scan and reconstruction), or all three linked through the crosshair
// (linkedPlanes.ts), with an anomaly map and optionally a label mask (labelLayer.ts) over it, and reports
// every render to the host (messages: webview/protocol.ts). With a prior, the restorations can be browsed in place of
// the reconstruction. The host sends the scan, then the overlays once scored; this page sends 'ready'
// once, 'score' on the button, 'selectVolume' for another volume of a 4D file, and 'rendered' after each draw.
// Mouse (as in niivue): wheel = slice, left drag = contrast (with the ruler on: measure), right / middle /
// Shift drag = pan, Ctrl/Cmd + wheel = zoom, click = crosshair. Keys: the table in shortcuts.ts.
// Tools: the region list of the thresholded map, the ruler, the snapshot ('snapshot' to the host).

import { provideVSCodeDesignSystem, vsCodeButton, vsCodeCheckbox, vsCodeDropdown, vsCodeOption } from '@vscode/webview-ui-toolkit';
import type { AnyMapName } from '../models/worker/protocol';
import { COLORMAP_NAMES, COLORMAPS, type ColormapName } from './colormap';
import { fitToBox, panForZoomAt, pixelToScreen, placeSlice, type Placement, type Size } from './geometry';
import { LABEL_STYLES, type LabelStyle } from './labelDrawing';
import { loadLabelLayer, maskFileNote, type LabelLayer } from './labelLayer';
import { LAYOUTS, paneCaptions, paneSpecs, type Layout, type PaneSpec } from './linkedPlanes';
import { drawPane } from './paneDrawing';
import { meanPerSlice, normalAxis, pixelOfVoxel, pixelSpacing, sliceShape, VIEW_AXES, type ViewAxis } from './orthoSlice';
import type { HostToWebview, PageReport, PaneReport, RenderReport, ToolsReport, ViewerAutomation, ViewerInput, WebviewToHost } from './protocol';
import { createRegionList } from './regionList';
import { readoutText, voxelUnderPointer } from './readout';
import { isFlippedY, type RenderedSlice } from './render';
import { offeredChoice, restorationChoices, restorationLabel, stepRestorationChoice } from './restorationChoice';
import { RulerTool, type PaneGeometry } from './rulerTool';
import { colourLayer, contourValue, loadOverlays, loadScan, modelImage, scanWindow, type ColourMapName, type Overlays, type Scan } from './scene';
import { buildShortcutSheet } from './shortcutSheet';
import { shortcutFor, type ShortcutAction } from './shortcuts';
import { drawSliceChart, sliceAtPosition } from './sliceChart';
import { composeSnapshot, pngBytes } from './snapshot';
import { regionMeasure, SMALL_REGION_VOXELS } from './thresholdRegions';
import { buildToolsDom, showMeasuring } from './toolsDom';
import { buildViewerDom, setOverlayChoices, type PaneDom } from './viewerDom';
import {
  centreVoxel,
  clampPosition,
  clampZoom,
  contourShown,
  DEFAULT_COLORMAP,
  DEFAULT_STATE,
  mostAnomalousSlice,
  nextMostAnomalousSlice,
  pageStep,
  parseViewerState,
  shownSlice,
  stepContour,
  withSlice,
  type Interpolation,
  type ViewerState,
} from './viewerState';
import type { ViewerGrid } from './viewerGrid';
import { connectToHost } from './vscodeApi';
import { viewOrientation, worldOf, type ViewOrientation } from './worldSpace';
import { dragSensitivity, dragWindowLevel, levelOfWindow, presetOf, WINDOW_PRESETS, type WindowLevel, type WindowPreset } from './windowLevel';

provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeCheckbox(), vsCodeDropdown(), vsCodeOption());

const host = connectToHost<WebviewToHost, HostToWebview>();
const dom = buildViewerDom(document.getElementById('app')!);
const savedState = parseViewerState(host.savedState());
let state: ViewerState = savedState ?? DEFAULT_STATE;
let scan: Scan | undefined;
let overlays: Overlays | undefined;
/** Which volume of a 4D file the scan is (0-based), and how many the file holds. */
let fileVolumes = { index: 0, count: 1 };
/** The first scan after a reload keeps the saved view; later scans start afresh. */
let restoring = savedState !== undefined;
/** Per-view slice scores besides the host's axial ones: the residual's slice means, computed once per view and scan. */
let viewScores: Partial<Record<ViewAxis, number[]>> = {};
/** The pointer's pane position while it is over an image (for the read-out), and the current drag. */
let hovered: { pane: number; x: number; y: number } | undefined;
/** The label overlay drawn over the scan (a mask or second volume, or the file itself when it is a mask), and the expert mask the host offers (a file name). */
let labels: LabelLayer | undefined;
let expertMask: string | undefined;
let drag: { mode: 'contrast' | 'pan' | 'measure'; x: number; y: number; moved: boolean; windowLevel: WindowLevel; pan: [number, number] } | undefined;

const tools = buildToolsDom();
dom.sliceRow.before(tools.toolbar);
const regionList = createRegionList((region) => update({ position: region.focus }), render);
dom.colorbar.after(regionList.root);
const shortcutSheet = buildShortcutSheet();
document.body.append(shortcutSheet.root);
const rulerTool = new RulerTool(
  dom.panes.map((pane) => pane.root),
  paneGeometry,
  () => scan,
);

const ZOOM_STEP = 1.25;
const CLICK_TOLERANCE_PX = 3;

function dims(): [number, number, number] {
  return scan?.image.dims ?? [1, 1, 1];
}

function isVolume(): boolean {
  return dims()[2] > 1;
}

/** The colour map shown over the scan, if any (not the reconstruction, which replaces the scan). */
function colourMap(): ColourMapName | undefined {
  return overlays && state.overlayOn && state.overlay !== 'reconstruction' && colourLayer(overlays, state.overlay, state) ? state.overlay : undefined;
}

function colormapOf(map: AnyMapName): ColormapName {
  return state.colormaps[map] ?? DEFAULT_COLORMAP;
}

/** The slice scores of a view: the host's for axial, the residual's slice means otherwise. */
function sliceScoresOf(view: ViewAxis): number[] | undefined {
  if (!overlays || !isVolume()) return undefined;
  if (view === 'axial') return overlays.sliceScores;
  return (viewScores[view] ??= meanPerSlice(overlays.maps.residual, view));
}

/** The restoration choices the scan's overlays offer (restorationChoice.ts). */
function offeredRestorations() {
  return restorationChoices(overlays?.restorations?.samples.length);
}

/** The name of the model's gray image shown for the current choice (the second pane's caption). */
function modelImageLabel(): string {
  return restorationLabel(offeredChoice(offeredRestorations(), state.restoration), overlays?.restorations?.samples.length ?? 0);
}

/** What each shown pane shows (linkedPlanes.ts: one plane, side by side, or three planes), with its elements. */
function shownPanes(): { spec: PaneSpec; pane: PaneDom }[] {
  return paneSpecs(state.layout, state.view, state.compare && overlays !== undefined, isVolume()).map((spec, i) => ({ spec, pane: dom.panes[i] }));
}

/** The view of pane `index` (the state's view for a pane not shown). */
function viewOfPane(index: number): ViewAxis {
  return shownPanes()[index]?.spec.view ?? state.view;
}

/** Applies a change to the state (kept inside the scan), saves it, updates the controls and redraws. */
function update(change: Partial<ViewerState>): void {
  const next = { ...state, ...change };
  state = { ...next, view: isVolume() ? next.view : 'axial', position: clampPosition(next.position, dims()), zoom: clampZoom(next.zoom) };
  host.saveState(state);
  syncControls();
  render();
}

function paneSize(pane: PaneDom): Size {
  return { width: pane.root.clientWidth, height: pane.root.clientHeight };
}

/** Where the slice image of `view` sits in a pane for the current zoom and pan, at the voxels' physical aspect. */
function placementIn(pane: PaneDom, view: ViewAxis): Placement {
  const { width, height } = sliceShape(dims(), view);
  return placeSlice({ width, height }, pixelSpacing(scan?.spacing ?? [1, 1, 1], view), paneSize(pane), state.zoom, state.pan);
}

function putOnCanvas(canvas: HTMLCanvasElement, drawn: RenderedSlice): void {
  if (canvas.width !== drawn.width || canvas.height !== drawn.height) {
    canvas.width = drawn.width;
    canvas.height = drawn.height;
  }
  canvas.getContext('2d')?.putImageData(new ImageData(drawn.pixels, drawn.width, drawn.height), 0, 0);
}

function render(): void {
  if (!scan) return;
  const shown = shownPanes();
  const regionsReport = regionList.show(regionSource());
  dom.panes.forEach((pane, i) => (pane.root.hidden = i >= shown.length));
  const captions = paneCaptions(
    shown.map(({ spec }) => spec),
    modelImageLabel(),
  );
  const drawings = shown.map(({ spec, pane }, i) => {
    const drawing = drawPane(scan!, overlays, labels, state, spec);
    putOnCanvas(pane.canvas, drawing.drawn);
    pane.canvas.style.imageRendering = state.interpolation === 'nearest' ? 'pixelated' : 'auto';
    pane.caption.textContent = captions[i];
    return { spec, drawing };
  });
  const panes: PaneReport[] = drawings.map(({ spec, drawing: { base, drawn, slice } }) => ({
    view: spec.view,
    slice,
    base,
    overlayPixels: drawn.overlayPixels,
    contourPixels: drawn.contourPixels,
    labelPixels: drawn.labelPixels,
    labelOutline: drawn.labelOutline,
  }));
  const [{ spec, drawing }] = drawings;
  const { drawn, slice } = drawing;
  const { request } = drawing;
  // The first pane's counts; side by side, the base is the second pane's (the model's image), the one that varies.
  const report: RenderReport = {
    view: spec.view,
    slice,
    overlay: drawing.shown,
    colormap: request.overlay ? colormapOf(state.overlay) : 'none',
    opacity: state.opacity,
    imagePixels: drawn.imagePixels,
    overlayPixels: drawn.overlayPixels,
    contourPixels: drawn.contourPixels,
    compare: shown.some(({ spec }) => spec.image === 'reconstruction'),
    postProcessed: overlays?.postProcessed ?? true,
    base: panes[panes.length - 1].base,
    contourLabel: dom.contourLabel.textContent ?? '',
    windowLevel: levelOfWindow(request.baseWindow),
    overlayRange: request.overlay ? request.overlay.window : null,
    crosshair: state.position,
    crosshairMm: scan!.affine ? worldOf(scan!.affine, state.position) : null,
    orientation: orientation(spec.view),
    layout: shown.length === 3 ? 'planes' : 'single',
    panes,
    labels: labels && state.labelsOn ? { name: labels.name, kind: labels.kind, style: state.labelStyle } : null,
    tools: toolsReport(regionsReport),
  };
  placePanes();
  drawColorbar();
  showReadout();
  const depth = sliceShape(dims(), state.view).depth;
  const where = isVolume() ? `${state.view} ${report.slice + 1}/${depth}` : `${dims()[0]}×${dims()[1]}`;
  const overlayText = report.overlay === 'none' ? 'no overlay' : `${report.overlay}, ${report.overlayPixels} px`;
  const contourText = report.contourPixels > 0 ? ` · contour ${report.contourPixels} px` : '';
  dom.renderInfo.textContent = `${where} · ${overlayText}${contourText} · zoom ${Math.round(state.zoom * 100)} %`;
  host.post({ type: 'rendered', report });
}

/** The thresholded colour map whose regions the list shows: while its contour is drawn. */
function regionSource(): Parameters<typeof regionList.show>[0] {
  const map = colourMap();
  const layer = map && overlays && colourLayer(overlays, map, state);
  if (!scan || !map || !layer || !contourShown(state.contour)) return undefined;
  const measure = regionMeasure(dims(), scan.spacing, scan.affine);
  const placeOf = (region: { focus: [number, number, number] }) =>
    isVolume() ? `${state.view} ${region.focus[normalAxis(state.view)] + 1}` : `x ${region.focus[0]} y ${region.focus[1]}`;
  const smallRegionVoxels = isVolume() ? SMALL_REGION_VOXELS : 0;
  return { name: map, grid: layer.grid, threshold: contourValue(layer.window, state.contour), measure, smallRegionVoxels, placeOf };
}

/** What pane `index` shows, for the ruler; undefined while it is hidden. */
function paneGeometry(index: number): PaneGeometry | undefined {
  const shown = shownPanes()[index];
  if (!scan || !shown) return undefined;
  const { view } = shown.spec;
  const placement = placementIn(shown.pane, view);
  const slice = state.position[normalAxis(view)];
  return { view, slice, placement, shape: sliceShape(dims(), view), flipY: isFlippedY(scan.image), size: paneSize(shown.pane) };
}

function toolsReport(regions: ToolsReport['regions']): ToolsReport {
  const drawn = dom.panes[0].canvas.style.imageRendering === 'pixelated' ? 'nearest' : 'linear';
  const { measuring } = rulerTool;
  return { paneSize: paneSize(dom.panes[0]), interpolation: drawn, shortcutSheet: shortcutSheet.isOpen(), measuring, regions, ruler: rulerTool.report() };
}

/** The patient directions at the pane edges of a view; none for a file without an affine (PNG, JPEG). */
function orientation(view: ViewAxis): ViewOrientation | null {
  return scan?.affine ? viewOrientation(scan.affine, view) : null;
}

/** Sizes and moves each shown canvas and its crosshair (the one crosshair voxel, in each pane's view) to the current placement. */
function placePanes(): void {
  for (const { spec, pane } of shownPanes()) {
    const { width, height } = sliceShape(dims(), spec.view);
    const p = placementIn(pane, spec.view);
    Object.assign(pane.canvas.style, { left: `${p.left}px`, top: `${p.top}px`, width: `${p.width}px`, height: `${p.height}px` });
    const centre = pixelToScreen(p, { width, height }, isFlippedY(scan!.image), pixelOfVoxel(spec.view, state.position));
    pane.crossH.hidden = pane.crossV.hidden = !isVolume();
    Object.assign(pane.crossH.style, { left: `${p.left}px`, width: `${p.width}px`, top: `${centre.y}px` });
    Object.assign(pane.crossV.style, { top: `${p.top}px`, height: `${p.height}px`, left: `${centre.x}px` });
    const edgeLabels = orientation(spec.view);
    for (const [side, label] of Object.entries(pane.edges) as [keyof ViewOrientation, HTMLElement][]) {
      label.hidden = !edgeLabels;
      label.textContent = edgeLabels?.[side] ?? '';
    }
    const middle = { x: p.left + p.width / 2, y: p.top + p.height / 2 };
    Object.assign(pane.edges.left.style, { left: `${Math.max(0, p.left) + 4}px`, top: `${middle.y}px` });
    Object.assign(pane.edges.right.style, { left: `${Math.min(paneSize(pane).width, p.left + p.width) - 4}px`, top: `${middle.y}px` });
    Object.assign(pane.edges.top.style, { left: `${middle.x}px`, top: `${Math.max(0, p.top) + 4}px` });
    Object.assign(pane.edges.bottom.style, { left: `${middle.x}px`, top: `${Math.min(paneSize(pane).height, p.top + p.height) - 4}px` });
  }
  rulerTool.draw();
}

/** The colorbar of the colour overlay: its colormap from the window's low to its high value, and the contour level. */
function drawColorbar(): void {
  const map = colourMap();
  const layer = map && overlays && colourLayer(overlays, map, state);
  dom.colorbar.hidden = !layer;
  if (!map || !layer) return;
  const { window } = layer;
  dom.colorbarCanvas.getContext('2d')?.putImageData(new ImageData(new Uint8ClampedArray(COLORMAPS[colormapOf(map)]), 256, 1), 0, 0);
  showValue(dom.colorbarLow, window.low);
  showValue(dom.colorbarHigh, window.high);
  dom.colorbarMarker.hidden = !contourShown(state.contour);
  dom.colorbarMarker.style.left = `${state.contour * 100}%`;
}

/** The read-out line: the voxel under the pointer (or, off the image, the crosshair's) and its values. */
function showReadout(): void {
  if (!scan) return;
  const pane = hovered && dom.panes[hovered.pane];
  const view = hovered ? viewOfPane(hovered.pane) : state.view;
  const slice = shownSlice({ view, position: state.position });
  const underPointer = hovered && pane && voxelUnderPointer(scan.image, view, slice, placementIn(pane, view), hovered.x, hovered.y);
  const voxel = underPointer ?? (isVolume() ? state.position : undefined);
  if (!voxel) {
    dom.readout.textContent = '';
    return;
  }
  const grids: { label: string; grid: ViewerGrid }[] = [{ label: 'intensity', grid: scan.image }];
  if (overlays && state.compare) {
    const model = modelImage(overlays, state.restoration);
    grids.push({ label: model.name, grid: model.grid });
  }
  const map = colourMap();
  const layer = map && overlays && colourLayer(overlays, map, state);
  if (map && layer) grids.push({ label: map, grid: layer.grid });
  if (labels && state.labelsOn) grids.push({ label: 'label', grid: labels.grid });
  dom.readout.textContent = `${underPointer ? '' : 'crosshair '}${readoutText(voxel, grids, scan.affine && worldOf(scan.affine, voxel))}`;
}

/** Shows a value in a number input with 4 significant digits (left alone while it already shows that). */
function showValue(input: HTMLInputElement, value: number): void {
  const shown = String(Number(value.toPrecision(4)));
  if (input.value !== shown) input.value = shown;
}

/** Makes every control show the current state (setting a control only when it differs, to avoid echo events). */
function syncControls(): void {
  const volume = isVolume();
  const depth = sliceShape(dims(), state.view).depth;
  const slice = shownSlice(state);
  const scores = sliceScoresOf(state.view);
  const map = colourMap();
  dom.sliceRow.hidden = !volume;
  dom.slice.max = String(depth - 1);
  if (dom.slice.valueAsNumber !== slice) dom.slice.value = String(slice);
  dom.sliceLabel.textContent = `${state.view} ${slice + 1} / ${depth}`;
  dom.viewSelect.hidden = !volume;
  if (dom.viewSelect.value !== state.view) dom.viewSelect.value = state.view;
  const percent = Math.round(state.opacity * 100);
  if (dom.opacity.valueAsNumber !== percent) dom.opacity.value = String(percent);
  dom.opacityLabel.textContent = `${percent} %`;
  const contour = Math.round(state.contour * 100);
  if (dom.contour.valueAsNumber !== contour) dom.contour.value = String(contour);
  const layer = map && overlays && colourLayer(overlays, map, state);
  dom.contourLabel.textContent = !contourShown(state.contour) || !layer ? 'off' : `≥ ${contourValue(layer.window, state.contour).toPrecision(3)}`;
  dom.overlaySelect.disabled = !overlays;
  dom.overlayToggle.disabled = !overlays;
  dom.compareToggle.disabled = !overlays || (volume && state.layout === 'planes'); // side by side is for one plane
  dom.postProcessedToggle.disabled = !overlays;
  const postProcessed = overlays?.postProcessed ?? true;
  if (dom.postProcessedToggle.checked !== postProcessed) dom.postProcessedToggle.checked = postProcessed;
  dom.opacity.disabled = dom.contour.disabled = dom.colormapSelect.disabled = !map;
  if (dom.overlaySelect.value !== state.overlay) dom.overlaySelect.value = state.overlay;
  if (dom.colormapSelect.value !== colormapOf(state.overlay)) dom.colormapSelect.value = colormapOf(state.overlay);
  if (dom.overlayToggle.checked !== state.overlayOn) dom.overlayToggle.checked = state.overlayOn;
  if (dom.compareToggle.checked !== state.compare) dom.compareToggle.checked = state.compare;
  dom.restorationGroup.hidden = !overlays?.restorations;
  dom.restorationLabel.textContent = modelImageLabel();
  dom.volumeGroup.hidden = fileVolumes.count < 2;
  dom.volume.max = String(fileVolumes.count);
  if (dom.volume.valueAsNumber !== fileVolumes.index + 1) dom.volume.value = String(fileVolumes.index + 1);
  dom.volumeLabel.textContent = `/ ${fileVolumes.count}`;
  dom.scoreButton.disabled = !scan || scan.labelImage;
  dom.scoreButton.title = scan?.labelImage ? maskFileNote(scan.name) : 'Score this scan with the trained model';
  dom.layoutSelect.hidden = !volume;
  if (dom.layoutSelect.value !== state.layout) dom.layoutSelect.value = state.layout;
  syncLabelControls();
  dom.windowPreset.disabled = dom.windowWidth.disabled = dom.windowLevel.disabled = !scan;
  if (scan) {
    const preset = presetOf(state.windowLevel, scan.presets);
    if (dom.windowPreset.value !== preset) dom.windowPreset.value = preset;
    const { level, width } = levelOfWindow(scanWindow(scan, state));
    showValue(dom.windowWidth, width);
    showValue(dom.windowLevel, level);
  }
  if (tools.interpolation.checked !== (state.interpolation === 'linear')) tools.interpolation.checked = state.interpolation === 'linear';
  showMeasuring(tools, rulerTool.measuring);
  dom.nextAnomalous.hidden = !volume;
  dom.nextAnomalous.disabled = !scores;
  dom.sliceChart.hidden = !scores;
  if (scores) drawSliceChart(dom.sliceChart, scores, slice);
}

/** The label overlay's controls: its checkbox names the file shown, or offers the expert mask; its style only with a layer. */
function syncLabelControls(): void {
  dom.openOverlayButton.disabled = !scan;
  dom.labelToggle.hidden = !labels && !expertMask;
  const text = labels ? `Labels: ${labels.name}` : `Show expert mask (${expertMask})`;
  if (dom.labelToggle.textContent !== text) dom.labelToggle.textContent = text;
  const checked = labels !== undefined && state.labelsOn;
  if (dom.labelToggle.checked !== checked) dom.labelToggle.checked = checked;
  dom.labelStyleSelect.hidden = !labels;
  if (dom.labelStyleSelect.value !== state.labelStyle) dom.labelStyleSelect.value = state.labelStyle;
}

function showError(message: string): void {
  dom.errorBox.textContent = message;
  dom.errorBox.hidden = message === '';
  reportPage();
}

/** Tells the host what the header and error box show (after each change of them). */
function reportPage(): void {
  const links = [...document.querySelectorAll<HTMLLinkElement>('link[rel="stylesheet"]')];
  const scripts = [...document.scripts].filter((script) => script.src !== ''); // loaded from a URL, not inline (VS Code adds its own)
  const resources = [...scripts.map((script) => script.src), ...links.map((link) => link.href)];
  const page: PageReport = {
    title: dom.fileName.textContent ?? '',
    scoreEnabled: !dom.scoreButton.disabled,
    scoreNote: scan?.labelImage ? maskFileNote(scan.name) : '',
    error: dom.errorBox.textContent ?? '',
    resources,
    stylesheets: links.filter((link) => link.sheet !== null).length,
  };
  host.post({ type: 'page', page });
}

/** The scan could not be read: the header names the file, nothing can be scored, the error says why. */
function onScanFailed(message: Extract<HostToWebview, { type: 'scanFailed' }>): void {
  scan = undefined;
  overlays = undefined;
  labels = undefined;
  expertMask = undefined;
  dom.fileName.textContent = message.name;
  dom.score.textContent = 'not loaded';
  dom.model.textContent = '';
  dom.viewport.hidden = dom.colorbar.hidden = true;
  syncControls();
  showError(message.message);
}

function onScan(message: Extract<HostToWebview, { type: 'scan' }>): void {
  // Another volume of the same 4D file keeps the view, as a reload does.
  const sameGrid = scan !== undefined && scan.name === message.name && scan.image.dims.join('x') === message.image.dims.join('x');
  scan = loadScan(message);
  overlays = undefined;
  // A mask file is its own label overlay; another volume of the same file keeps the one opened.
  if (scan.labelImage) labels = loadLabelLayer(scan.name, scan.image, scan);
  else if (!sameGrid) labels = undefined;
  expertMask = message.expertMask;
  fileVolumes = message.volume ?? { index: 0, count: 1 };
  viewScores = {};
  dom.fileName.textContent = scan.name;
  dom.score.textContent = scan.labelImage ? 'a mask: not scored' : 'not scored';
  dom.viewport.hidden = false;
  dom.model.textContent = '';
  const fresh = {
    position: centreVoxel(scan.image.dims),
    zoom: 1,
    pan: [0, 0] as [number, number],
    windowLevel: null,
    compare: false,
    ...(scan.labelImage && { labelsOn: true, labelStyle: 'fill' as const }),
  };
  update(restoring || sameGrid ? {} : fresh);
  restoring = false;
  showError(''); // after the controls are set, so that the page report says whether Score can be pressed
}

/** A label mask or second volume to draw over the scan: shown at once. */
function onLabelOverlay(message: Extract<HostToWebview, { type: 'labelOverlay' }>): void {
  if (!scan) throw new Error('A label overlay arrived before the scan it belongs to');
  labels = loadLabelLayer(message.name, message.image, scan);
  showError('');
  update({ labelsOn: true });
}

function onOverlays(message: Extract<HostToWebview, { type: 'overlays' }>): void {
  if (!scan) throw new Error('Overlays arrived before the scan they belong to');
  overlays = loadOverlays(message, scan);
  setOverlayChoices(dom.overlaySelect, overlays.present); // the prior's maps only when the model has a prior
  viewScores = {};
  dom.score.textContent = `score ${overlays.score.toPrecision(3)}`;
  dom.model.textContent = `model ${overlays.model}`;
  showError('');
  // The first overlays show the residual at the most anomalous slice; after a reload the saved view stays.
  const top = mostAnomalousSlice(sliceScoresOf(state.view) ?? []);
  const firstLook = {
    overlay: 'residual' as const,
    overlayOn: true,
    position: top === undefined ? state.position : withSlice(state.position, state.view, top),
  };
  const missing = !overlays.present.includes(state.overlay) ? { overlay: 'residual' as const } : {};
  const restoration = offeredChoice(offeredRestorations(), state.restoration);
  update({ ...(state.hadOverlays ? missing : firstLook), hadOverlays: true, restoration });
}

host.onMessage((message) => {
  try {
    switch (message.type) {
      case 'scan':
        return onScan(message);
      case 'overlays':
        return onOverlays(message);
      case 'labelOverlay':
        return onLabelOverlay(message);
      case 'status':
        dom.status.textContent = message.text;
        return;
      case 'error':
        return showError(message.message);
      case 'scanFailed':
        return onScanFailed(message);
      case 'automate':
        return automate(message.action);
    }
  } catch (error) {
    showError(error instanceof Error ? error.message : String(error));
  }
});

// Actions shared by the controls and the keys.
function goToSlice(index: number): void {
  update({ position: withSlice(state.position, state.view, index) });
}
/** `steps` slices on in `view` (the pane's, e.g. under the wheel), which becomes the view the slider follows. */
function stepSlice(steps: number, view = state.view): void {
  if (isVolume()) update({ view, position: withSlice(state.position, view, shownSlice({ view, position: state.position }) + steps) });
}
function goToNextAnomalous(): void {
  const next = nextMostAnomalousSlice(sliceScoresOf(state.view) ?? [], shownSlice(state));
  if (next !== undefined) goToSlice(next);
}
/** The model's gray image `steps` choices on (reconstruction, mean restoration, restorations), shown side by side when it was not shown. */
function stepRestoration(steps: number): void {
  if (!overlays?.restorations) return;
  const shown = state.compare || (state.overlayOn && state.overlay === 'reconstruction');
  update({ restoration: stepRestorationChoice(offeredRestorations(), state.restoration, steps), compare: state.compare || !shown });
}
/** Asks the host for volume `index` of the 4D file (it re-reads and re-scores); out of range puts the control back. */
function selectVolume(index: number): void {
  if (Number.isInteger(index) && index >= 0 && index < fileVolumes.count && index !== fileVolumes.index) host.post({ type: 'selectVolume', index });
  else syncControls();
}
function zoomBy(factor: number): void {
  update({ zoom: state.zoom * factor });
}
function resetView(): void {
  update({ zoom: 1, pan: [0, 0], windowLevel: null, overlayRanges: {} });
}
/** The gray window of a preset ('brain' is the automatic window). */
function choosePreset(preset: WindowPreset): void {
  if (scan) update({ windowLevel: preset === 'brain' ? null : levelOfWindow(scan.presets[preset]) });
}
/** A typed window width or level (a width must be positive); anything else puts the control back. */
function typeWindowLevel(change: Partial<WindowLevel>): void {
  if (!scan) return;
  const next = { ...levelOfWindow(scanWindow(scan, state)), ...change };
  if (Number.isFinite(next.level) && Number.isFinite(next.width) && next.width > 0) update({ windowLevel: next });
  else syncControls();
}
/** A typed end of the colour overlay's range (low must stay below high); anything else puts the colorbar back. */
function typeOverlayRange(change: { low?: number; high?: number }): void {
  const map = colourMap();
  const layer = map && overlays && colourLayer(overlays, map, state);
  if (!map || !layer) return;
  const next = { ...layer.window, ...change };
  if (Number.isFinite(next.low) && Number.isFinite(next.high) && next.low < next.high) update({ overlayRanges: { ...state.overlayRanges, [map]: next } });
  else drawColorbar();
}
/** Measure mode on or off; leaving it removes the ruler. */
function setMeasuring(on: boolean): void {
  rulerTool.setMeasuring(on);
  syncControls();
  render();
}
function setInterpolation(interpolation: Interpolation): void {
  if (interpolation !== state.interpolation) update({ interpolation });
}
function setShortcutSheet(open: boolean): void {
  shortcutSheet.setOpen(open);
  render();
}
/** Esc: closes the shortcut sheet, else leaves measure mode. */
function dismiss(): void {
  if (shortcutSheet.isOpen()) setShortcutSheet(false);
  else if (rulerTool.measuring) setMeasuring(false);
}
/** Sends the host a PNG of the shown panes as drawn; the host asks where to save it. */
async function takeSnapshot(): Promise<void> {
  const panes = shownPanes().map(({ spec, pane }) => ({
    size: paneSize(pane),
    placement: placementIn(pane, spec.view),
    image: pane.canvas,
    annotations: rulerTool.layers[dom.panes.indexOf(pane)],
    background: getComputedStyle(pane.root).backgroundColor,
  }));
  host.post({ type: 'snapshot', png: await pngBytes(composeSnapshot(panes, state.interpolation)) });
}
/** The element after `current` in `list`, wrapping around. */
function following<T>(list: readonly T[], current: T): T {
  return list[(list.indexOf(current) + 1) % list.length];
}
/** One plane or the three linked planes (volumes only). */
function chooseLayout(layout: Layout): void {
  if (isVolume() && layout !== state.layout) update({ layout });
}
/** The label overlay's checkbox: shows or hides the layer; while the expert mask is only offered, asks the host for it. */
function showLabels(on: boolean): void {
  if (labels) {
    if (on !== state.labelsOn) update({ labelsOn: on });
  } else if (on && expertMask) host.post({ type: 'showExpertMask' });
}
/** A left click in pane `index` at pane position (x, y): the crosshair goes to the voxel there, so every other pane shows the slices through it. */
function clickAt(index: number, x: number, y: number): void {
  const pane = dom.panes[index];
  const view = viewOfPane(index);
  const voxel = scan && voxelUnderPointer(scan.image, view, shownSlice({ view, position: state.position }), placementIn(pane, view), x, y);
  if (voxel) update({ position: voxel, view });
}
function overlayChoices(): AnyMapName[] {
  return Array.from(dom.overlaySelect.querySelectorAll('vscode-option'), (o) => o.getAttribute('value') as AnyMapName);
}

dom.viewSelect.addEventListener('change', () => {
  if (dom.viewSelect.value !== state.view) update({ view: dom.viewSelect.value as ViewAxis });
});
dom.overlaySelect.addEventListener('change', () => {
  const overlay = dom.overlaySelect.value as AnyMapName;
  if (overlay !== state.overlay) update({ overlay, overlayOn: true });
});
dom.colormapSelect.addEventListener('change', () => {
  const colormap = dom.colormapSelect.value as ColormapName;
  if (colormap !== colormapOf(state.overlay)) update({ colormaps: { ...state.colormaps, [state.overlay]: colormap } });
});
dom.overlayToggle.addEventListener('change', () => {
  if (dom.overlayToggle.checked !== state.overlayOn) update({ overlayOn: dom.overlayToggle.checked });
});
dom.compareToggle.addEventListener('change', () => {
  if (dom.compareToggle.checked !== state.compare) update({ compare: dom.compareToggle.checked });
});
dom.opacity.addEventListener('input', () => update({ opacity: dom.opacity.valueAsNumber / 100 }));
dom.contour.addEventListener('input', () => update({ contour: dom.contour.valueAsNumber / 100 }));
dom.slice.addEventListener('input', () => goToSlice(dom.slice.valueAsNumber));
dom.scoreButton.addEventListener('click', () => host.post({ type: 'score' }));
dom.postProcessedToggle.addEventListener('change', () => {
  const postProcessed = overlays?.postProcessed ?? true;
  if (overlays && dom.postProcessedToggle.checked !== postProcessed) host.post({ type: 'rawMaps', raw: !dom.postProcessedToggle.checked });
});
dom.windowPreset.addEventListener('change', () => {
  const preset = dom.windowPreset.value;
  if (scan && preset !== presetOf(state.windowLevel, scan.presets) && preset !== 'custom') choosePreset(preset as WindowPreset);
});
dom.windowWidth.addEventListener('change', () => typeWindowLevel({ width: dom.windowWidth.valueAsNumber }));
dom.windowLevel.addEventListener('change', () => typeWindowLevel({ level: dom.windowLevel.valueAsNumber }));
dom.colorbarLow.addEventListener('change', () => typeOverlayRange({ low: dom.colorbarLow.valueAsNumber }));
dom.colorbarHigh.addEventListener('change', () => typeOverlayRange({ high: dom.colorbarHigh.valueAsNumber }));
dom.zoomIn.addEventListener('click', () => zoomBy(ZOOM_STEP));
dom.zoomOut.addEventListener('click', () => zoomBy(1 / ZOOM_STEP));
dom.resetView.addEventListener('click', resetView);
dom.nextAnomalous.addEventListener('click', goToNextAnomalous);
dom.restorationPrevious.addEventListener('click', () => stepRestoration(-1));
dom.restorationNext.addEventListener('click', () => stepRestoration(1));
dom.volume.addEventListener('change', () => selectVolume(dom.volume.valueAsNumber - 1));
tools.ruler.addEventListener('click', () => setMeasuring(!rulerTool.measuring));
tools.interpolation.addEventListener('change', () => setInterpolation(tools.interpolation.checked ? 'linear' : 'nearest'));
tools.snapshot.addEventListener('click', () => void takeSnapshot().catch((error: unknown) => showError(String(error))));
tools.shortcuts.addEventListener('click', () => setShortcutSheet(!shortcutSheet.isOpen()));
shortcutSheet.close.addEventListener('click', () => setShortcutSheet(false));
dom.layoutSelect.addEventListener('change', () => LAYOUTS.includes(dom.layoutSelect.value as Layout) && chooseLayout(dom.layoutSelect.value as Layout));
dom.openOverlayButton.addEventListener('click', () => host.post({ type: 'openOverlay' }));
dom.labelToggle.addEventListener('change', () => showLabels(dom.labelToggle.checked));
dom.labelStyleSelect.addEventListener('change', () => {
  const style = dom.labelStyleSelect.value as LabelStyle;
  if (LABEL_STYLES.includes(style) && style !== state.labelStyle) update({ labelStyle: style });
});
dom.sliceChart.addEventListener('click', (event) =>
  goToSlice(sliceAtPosition(event.offsetX, dom.sliceChart.clientWidth, sliceShape(dims(), state.view).depth)),
);

/** The pointer's position inside a pane. */
function panePoint(pane: PaneDom, event: MouseEvent): { x: number; y: number } {
  const box = pane.root.getBoundingClientRect();
  return { x: event.clientX - box.left, y: event.clientY - box.top };
}

dom.panes.forEach((pane, index) => {
  const { root } = pane;
  // Wheel: the next (up) or previous slice, as in niivue; with Ctrl/Cmd, zoom about the pointer.
  root.addEventListener(
    'wheel',
    (event) => {
      if (!scan || event.deltaY === 0) return;
      event.preventDefault();
      const view = viewOfPane(index);
      if (event.ctrlKey || event.metaKey) {
        const zoom = clampZoom(state.zoom * (event.deltaY < 0 ? ZOOM_STEP : 1 / ZOOM_STEP));
        const { width, height } = sliceShape(dims(), view);
        const fitted = fitToBox({ width, height }, pixelSpacing(scan.spacing, view), paneSize(pane));
        update({ zoom, pan: panForZoomAt(placementIn(pane, view), paneSize(pane), fitted, zoom, panePoint(pane, event)) });
      } else {
        stepSlice(event.deltaY < 0 ? 1 : -1, view);
      }
    },
    { passive: false },
  );
  root.addEventListener('contextmenu', (event) => event.preventDefault());
  root.addEventListener('pointerdown', (event) => {
    if (!scan) return;
    root.setPointerCapture(event.pointerId);
    const left = event.button === 0 && !event.shiftKey;
    const mode = left ? (rulerTool.measuring ? 'measure' : 'contrast') : 'pan';
    const windowLevel = state.windowLevel ?? levelOfWindow(scan.window);
    drag = { mode, x: event.clientX, y: event.clientY, moved: false, windowLevel, pan: state.pan };
    if (mode === 'measure') rulerTool.start(index, panePoint(pane, event));
  });
  root.addEventListener('pointermove', (event) => {
    hovered = { pane: index, ...panePoint(pane, event) };
    if (!drag || !scan) return showReadout();
    const dx = event.clientX - drag.x;
    const dy = event.clientY - drag.y;
    drag.moved ||= Math.abs(dx) + Math.abs(dy) > CLICK_TOLERANCE_PX;
    if (drag.mode === 'measure') return rulerTool.extend(index, hovered);
    if (!drag.moved) return;
    if (drag.mode === 'contrast') update({ windowLevel: dragWindowLevel(drag.windowLevel, dx, dy, dragSensitivity(scan.window)) });
    else {
      const p = placementIn(pane, viewOfPane(index));
      update({ pan: [drag.pan[0] + dx / p.width, drag.pan[1] + dy / p.height] });
    }
  });
  root.addEventListener('pointerup', (event) => {
    // A left click without dragging puts the crosshair on the voxel under the pointer (with the ruler on too, leaving no ruler).
    if (drag && scan && drag.mode !== 'pan' && !drag.moved) {
      if (drag.mode === 'measure') rulerTool.clear();
      const { x, y } = panePoint(pane, event);
      clickAt(index, x, y);
    }
    if (drag?.mode === 'measure') render(); // reports the ruler
    drag = undefined;
  });
  root.addEventListener('pointerleave', () => {
    hovered = undefined;
    showReadout();
  });
});

/** What each shortcut does (shortcuts.ts lists the keys). */
const KEY_ACTIONS: Record<ShortcutAction, () => void> = {
  sliceUp: () => stepSlice(1),
  sliceDown: () => stepSlice(-1),
  pageUp: () => stepSlice(pageStep(sliceShape(dims(), state.view).depth)),
  pageDown: () => stepSlice(-pageStep(sliceShape(dims(), state.view).depth)),
  nextAnomalous: goToNextAnomalous,
  axial: () => update({ view: 'axial' }),
  coronal: () => update({ view: 'coronal' }),
  sagittal: () => update({ view: 'sagittal' }),
  nextView: () => isVolume() && update({ view: following(VIEW_AXES, state.view) }),
  toggleOverlay: () => overlays && update({ overlayOn: !state.overlayOn }),
  nextMap: () => overlays && update({ overlay: following(overlayChoices(), state.overlay), overlayOn: true }),
  nextColormap: () => colourMap() && update({ colormaps: { ...state.colormaps, [state.overlay]: following(COLORMAP_NAMES, colormapOf(state.overlay)) } }),
  contourDown: () => update({ contour: stepContour(state.contour, -1) }),
  contourUp: () => update({ contour: stepContour(state.contour, 1) }),
  toggleCompare: () => overlays && update({ compare: !state.compare }),
  previousRestoration: () => stepRestoration(-1),
  nextRestoration: () => stepRestoration(1),
  nextPreset: () =>
    choosePreset(
      following(
        WINDOW_PRESETS.map((p) => p.name),
        presetOf(state.windowLevel, scan!.presets) as WindowPreset,
      ),
    ),
  zoomIn: () => zoomBy(ZOOM_STEP),
  zoomOut: () => zoomBy(1 / ZOOM_STEP),
  resetView,
  layout: () => chooseLayout(following(LAYOUTS, state.layout)),
  ruler: () => setMeasuring(!rulerTool.measuring),
  interpolation: () => setInterpolation(state.interpolation === 'nearest' ? 'linear' : 'nearest'),
  snapshot: () => void takeSnapshot().catch((error: unknown) => showError(String(error))),
  shortcuts: () => setShortcutSheet(!shortcutSheet.isOpen()),
  dismiss,
};

/** Keys, unless a control that uses them itself has the focus. */
function onKey(event: KeyboardEvent): void {
  const target = event.target as HTMLElement | null;
  if (event.ctrlKey || event.metaKey || event.altKey || target?.closest('input, textarea, vscode-dropdown')) return;
  const shortcut = shortcutFor(event.key);
  if (!shortcut || !scan) return;
  event.preventDefault();
  KEY_ACTIONS[shortcut.action]();
}
window.addEventListener('keydown', onKey);

/** The controls automation can type into. */
const INPUTS: Record<ViewerInput, HTMLInputElement | (HTMLElement & { value: string })> = {
  window: dom.windowWidth,
  level: dom.windowLevel,
  windowPreset: dom.windowPreset,
  overlayLow: dom.colorbarLow,
  overlayHigh: dom.colorbarHigh,
  layout: dom.layoutSelect,
  labelStyle: dom.labelStyleSelect,
};

/**
 * Automation (tests), as a user does: a key pressed in the page, a value typed into a control and
 * committed, a click in a pane at the centre of a voxel's pixel in the slice it shows, the label overlay's checkbox set, a drag in
 * the first pane, or a click on a row of the region list.
 */
function automate(action: ViewerAutomation): void {
  switch (action.kind) {
    case 'key':
      document.body.dispatchEvent(new KeyboardEvent('keydown', { key: action.key, bubbles: true, cancelable: true }));
      return;
    case 'input': {
      const input = INPUTS[action.control];
      input.value = action.value;
      input.dispatchEvent(new Event('change'));
      return;
    }
    case 'click': {
      if (!scan) return;
      const view = viewOfPane(action.pane);
      const placement = placementIn(dom.panes[action.pane], view);
      const at = pixelToScreen(placement, sliceShape(dims(), view), isFlippedY(scan.image), pixelOfVoxel(view, action.voxel));
      clickAt(action.pane, at.x, at.y);
      return;
    }
    case 'check':
      showLabels(action.checked);
      return;
    case 'drag':
      dragInFirstPane(action.from, action.to);
      return;
    case 'clickRegion':
      regionList.click(action.index);
  }
}

/** A left drag in the first pane between two slice pixels (continuous column, row), as pointer events. */
function dragInFirstPane(from: [number, number], to: [number, number]): void {
  const { root } = dom.panes[0];
  const box = root.getBoundingClientRect();
  const pane = paneGeometry(0);
  if (!pane) return;
  const at = ([col, row]: [number, number]) => {
    const p = pixelToScreen(pane.placement, pane.shape, pane.flipY, { col, row });
    return { clientX: box.left + p.x, clientY: box.top + p.y, button: 0, buttons: 1, pointerId: 1, bubbles: true };
  };
  root.dispatchEvent(new PointerEvent('pointerdown', at(from)));
  root.dispatchEvent(new PointerEvent('pointermove', at(to)));
  root.dispatchEvent(new PointerEvent('pointerup', { ...at(to), buttons: 0 }));
}

new ResizeObserver(() => {
  if (!scan) return;
  placePanes();
  const scores = sliceScoresOf(state.view);
  if (scores) drawSliceChart(dom.sliceChart, scores, shownSlice(state));
}).observe(dom.viewport);

syncControls();
reportPage();
host.post({ type: 'ready' });
