// The ruler tool: measure mode, the ruler being dragged or last drawn, and its drawing on the layer over
// each pane that shows its slice (annotationLayer.ts). It sees the panes only through PaneGeometry, what
// main.ts says each pane shows, so any layout of panes and views works alike.

import { createAnnotationLayer, drawAnnotations } from './annotationLayer';
import { pixelToScreen, screenToSlicePoint, type Placement, type Size } from './geometry';
import { pixelOfVoxel, voxelAt, type ViewAxis } from './orthoSlice';
import type { RulerReport } from './protocol';
import { lengthUnit, rulerLength, rulerShownIn, rulerText, type LengthUnit, type Ruler, type VoxelPoint } from './ruler';
import type { Affine } from './worldSpace';

/** What a pane shows, as the ruler needs it: its view and slice, where the slice image sits in it and how rows are drawn. */
export interface PaneGeometry {
  view: ViewAxis;
  slice: number;
  placement: Placement;
  shape: Size;
  flipY: boolean;
  size: Size;
}

/** A position in a pane, in CSS pixels from its top-left corner. */
type PanePoint = { x: number; y: number };

/** The scan's grid, voxel sizes and voxel-to-world matrix, which the length is measured with. */
interface Header {
  image: { dims: [number, number, number] };
  spacing: [number, number, number];
  affine?: Affine;
}

export class RulerTool {
  /** A left drag measures (instead of changing the contrast) while this is on. */
  measuring = false;
  private ruler: Ruler | undefined;
  /** Each pane's layer, over its image (the snapshot draws them too). */
  readonly layers: HTMLCanvasElement[];

  constructor(
    paneRoots: readonly HTMLElement[],
    /** What pane `index` shows; undefined while it is hidden. */
    private readonly geometry: (index: number) => PaneGeometry | undefined,
    private readonly header: () => Header | undefined,
  ) {
    this.layers = paneRoots.map((root) => root.appendChild(createAnnotationLayer()));
  }

  /** Measure mode on or off; leaving it removes the ruler. */
  setMeasuring(on: boolean): void {
    this.measuring = on;
    if (!on) this.ruler = undefined;
    this.draw();
  }

  /** Removes the ruler; measure mode stays on. */
  clear(): void {
    this.ruler = undefined;
    this.draw();
  }

  /** A drag starts at a position in pane `index`: a ruler of length 0 in the slice it shows. */
  start(index: number, at: PanePoint): void {
    const pane = this.geometry(index);
    const point = pane && this.pointIn(pane, at);
    this.ruler = pane && point && { view: pane.view, slice: pane.slice, from: point, to: point };
    this.draw();
  }

  /** The drag moved on: the ruler's end follows (within its own slice). */
  extend(index: number, at: PanePoint): void {
    const pane = this.geometry(index);
    if (!pane || !this.ruler || !rulerShownIn(this.ruler, pane.view, pane.slice)) return;
    this.ruler = { ...this.ruler, to: this.pointIn(pane, at) };
    this.draw();
  }

  /** Redraws every pane's layer: the ruler where a pane shows its slice, nothing elsewhere. */
  draw(): void {
    const measured = this.measured();
    this.layers.forEach((layer, index) => {
      const pane = this.geometry(index);
      if (!pane) return;
      const shown = measured && rulerShownIn(measured.ruler, pane.view, pane.slice);
      const toScreen = (point: VoxelPoint) => pixelToScreen(pane.placement, pane.shape, pane.flipY, pixelOfVoxel(pane.view, point));
      const onScreen = shown ? { from: toScreen(measured.ruler.from), to: toScreen(measured.ruler.to), label: measured.label } : undefined;
      drawAnnotations(layer, pane.size, onScreen);
    });
  }

  /** The ruler as a shown pane draws it (the first that shows its slice); null when none does. */
  report(): RulerReport | null {
    const measured = this.measured();
    const panes = this.layers.map((_, index) => this.geometry(index));
    if (!measured || !panes.some((pane) => pane && rulerShownIn(measured.ruler, pane.view, pane.slice))) return null;
    const { ruler, length, unit, label } = measured;
    return { from: ruler.from, to: ruler.to, length, unit, label };
  }

  private measured(): { ruler: Ruler; length: number; unit: LengthUnit; label: string } | undefined {
    const header = this.header();
    if (!this.ruler || !header) return undefined;
    const length = rulerLength(this.ruler.from, this.ruler.to, header.spacing, header.affine);
    const unit = lengthUnit(header.image.dims[2], header.affine);
    return { ruler: this.ruler, length, unit, label: rulerText(length, unit) };
  }

  private pointIn(pane: PaneGeometry, at: PanePoint): VoxelPoint {
    const { col, row } = screenToSlicePoint(pane.placement, pane.shape, pane.flipY, at.x, at.y);
    return voxelAt(pane.view, pane.slice, col, row);
  }
}
