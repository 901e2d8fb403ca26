// The viewer's layouts: one plane (with the model's image beside it when comparing), or the three
// orthogonal planes side by side (axial, coronal, sagittal), linked through the one crosshair voxel:
// each pane shows the slice of its view through the crosshair, so a click in one pane, which moves the
// crosshair, moves the other two panes' slices to that point. A 2D image has one plane only.

import { VIEW_AXES, type ViewAxis } from './orthoSlice';

export type Layout = 'single' | 'planes';
export const LAYOUTS: readonly Layout[] = ['single', 'planes'];

/** What one pane shows: the slices of a view, of the scan or (comparing) of the model's image. */
export interface PaneSpec {
  view: ViewAxis;
  image: 'scan' | 'reconstruction';
}

/**
 * The panes of a layout: one plane shows `view` (and the model's image beside it when `compare`); three
 * planes show axial, coronal and sagittal of the scan, whatever `view` and `compare` say. A 2D image
 * (`volume` false) always gets one plane.
 */
export function paneSpecs(layout: Layout, view: ViewAxis, compare: boolean, volume: boolean): PaneSpec[] {
  if (layout === 'planes' && volume) return VIEW_AXES.map((v) => ({ view: v, image: 'scan' }));
  const one: PaneSpec = { view, image: 'scan' };
  return compare ? [one, { view, image: 'reconstruction' }] : [one];
}

const capitalized = (name: string) => name[0].toUpperCase() + name.slice(1);

/** The panes' captions: none for one pane; the view's name for each of three planes; 'Scan' and `modelLabel` (the model's image) side by side. */
export function paneCaptions(specs: readonly PaneSpec[], modelLabel: string): string[] {
  if (specs.length === 1) return [''];
  const planes = specs.every((spec) => spec.image === 'scan');
  return specs.map((spec) => (planes ? capitalized(spec.view) : spec.image === 'scan' ? 'Scan' : modelLabel));
}
