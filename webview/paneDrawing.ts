// What one pane draws for the viewer state: the slice of its view through the crosshair voxel, of its
// image (the scan, or the model's image side by side), with the state's colour overlay, gray window,
// threshold contour and label layer: the same in every pane, so in each of the three linked planes.

import type { LabelLayer } from './labelLayer';
import type { PaneSpec } from './linkedPlanes';
import { renderSlice, type RenderedSlice } from './render';
import { sliceRequestFor, type Overlays, type PaneDrawing, type Scan } from './scene';
import { shownSlice, type ViewerState } from './viewerState';

export interface DrawnPane extends PaneDrawing {
  /** The pixels and counts drawn, and the slice index of the pane's view. */
  drawn: RenderedSlice;
  slice: number;
}

export function drawPane(scan: Scan, overlays: Overlays | undefined, labels: LabelLayer | undefined, state: ViewerState, spec: PaneSpec): DrawnPane {
  const paneState = { ...state, view: spec.view };
  const drawing = sliceRequestFor(scan, overlays, paneState, spec.image);
  const labelRequest = labels && state.labelsOn ? { layer: labels, style: state.labelStyle } : undefined;
  return { ...drawing, drawn: renderSlice({ ...drawing.request, labels: labelRequest }), slice: shownSlice(paneState) };
}
