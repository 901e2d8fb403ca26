// A gallery thumbnail's pixels: the image in gray with its anomaly map blended on top, painted as the
// scan viewer paints its default overlay (webview/render.ts renderSlice: the residual map, colormap
// and opacity of DEFAULT_STATE). One colour window serves every thumbnail of the gallery, so that the
// same colour means the same residual in every picture.

import type { Thumbnail } from '../../models/worker/protocol';
import { COLORMAPS } from '../colormap';
import { renderSlice, robustWindow, type IntensityWindow, type RenderedSlice } from '../render';
import { DEFAULT_COLORMAP, DEFAULT_STATE } from '../viewerState';

/** Thumbnails hold normalized intensities (the model's input range): 0 is black, 1 white. */
const NORMALIZED_WINDOW: IntensityWindow = { low: 0, high: 1 };

/**
 * The colour window of all the gallery's maps: from the median to the 99th percentile of their nonzero
 * values together (the viewer's overlayWindow rule, over the whole gallery instead of one scan).
 */
export function sharedMapWindow(thumbnails: readonly Thumbnail[]): IntensityWindow {
  const all = new Float32Array(thumbnails.reduce((n, t) => n + t.map.data.length, 0));
  let offset = 0;
  for (const { map } of thumbnails) {
    all.set(map.data, offset);
    offset += map.data.length;
  }
  return robustWindow(all, 0.5, 0.99);
}

/** The thumbnail's RGBA pixels with the map over the image, and the counts of image and overlay pixels. */
export function renderThumbnail(thumbnail: Thumbnail, mapWindow: IntensityWindow, opacity = DEFAULT_STATE.opacity): RenderedSlice {
  return renderSlice({
    base: thumbnail.image,
    baseWindow: NORMALIZED_WINDOW,
    view: 'axial',
    slice: 0,
    overlay: { map: thumbnail.map, window: mapWindow, colormap: COLORMAPS[DEFAULT_COLORMAP], opacity },
  });
}
