// A valid render report (webview/protocol.ts), for the message-check tests to vary one field at a time.
import type { RenderReport } from '../../webview/protocol';

export const RENDER_REPORT: RenderReport = {
  view: 'axial',
  slice: 0,
  overlay: 'residual',
  colormap: 'hot',
  opacity: 0.6,
  imagePixels: 4,
  overlayPixels: 0,
  contourPixels: 0,
  compare: false,
  postProcessed: true,
  base: 'scan',
  contourLabel: 'off',
  windowLevel: { level: 5, width: 10 },
  overlayRange: null,
  crosshair: [0, 0, 0],
  crosshairMm: null,
  orientation: null,
  tools: { paneSize: { width: 300, height: 200 }, interpolation: 'nearest', shortcutSheet: false, measuring: false, regions: null, ruler: null },
  layout: 'single',
  panes: [{ view: 'axial', slice: 0, base: 'scan', overlayPixels: 0, contourPixels: 0, labelPixels: 0, labelOutline: [] }],
  labels: null,
};
