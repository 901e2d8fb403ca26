// The region list beside the threshold contour: how many regions of the shown map lie at or above the
// contour's value (thresholdRegions.ts), and for each its size (mL, mm² or px), its peak value and where
// it is; a click on a row jumps there. The regions are computed once per map and threshold, then kept.

import type { Dropdown } from '@vscode/webview-ui-toolkit';
import { element } from './dom';
import type { RegionsReport } from './protocol';
import {
  REGION_ORDERS,
  regionSizeText,
  sortRegions,
  thresholdRegions,
  withoutSmallRegions,
  type RegionMeasure,
  type RegionOrder,
  type ThresholdRegion,
} from './thresholdRegions';
import type { AnyMapName } from '../models/worker/protocol';
import type { ViewerGrid } from './viewerGrid';

/** At most this many rows are listed (the largest or highest first); the count says how many there are. */
export const REGION_ROWS = 50;

/** The thresholded map to list the regions of. */
export interface RegionSource {
  name: AnyMapName;
  grid: ViewerGrid;
  threshold: number;
  measure: RegionMeasure;
  /** Regions of at most this many voxels are left out (SMALL_REGION_VOXELS for a volume, 0 for a 2D image). */
  smallRegionVoxels: number;
  /** Where a region is, as the list says it ("axial 84"). */
  placeOf(region: ThresholdRegion): string;
}

export interface RegionList {
  root: HTMLElement;
  /** Lists the regions of `source` (none: hides the list); returns what it lists, for the render report. */
  show(source: RegionSource | undefined): RegionsReport | null;
  /** Row `index` clicked, as the user does (automation). */
  click(index: number): void;
}

export function createRegionList(onPick: (region: ThresholdRegion) => void, onOrderChange: () => void): RegionList {
  const summary = element('span', { className: 'region-summary' });
  const orderChoices = REGION_ORDERS.map((order) =>
    element('vscode-option', { text: order === 'size' ? 'Largest first' : 'Highest peak first', attributes: { value: order } }),
  );
  const order = element<Dropdown>('vscode-dropdown', { attributes: { 'aria-label': 'Order of the regions', title: 'Order of the regions' } }, orderChoices);
  const rows = element('ol', { className: 'region-rows' });
  const more = element('div', { className: 'region-more' });
  const root = element('section', { className: 'region-list', attributes: { 'aria-label': 'Regions above the contour threshold', hidden: '' } }, [
    element('div', { className: 'region-header' }, [summary, order]),
    rows,
    more,
  ]);
  let kept: { grid: ViewerGrid; threshold: number; smallRegionVoxels: number; regions: ThresholdRegion[]; removed: number } | undefined;
  let listed: ThresholdRegion[] = [];
  order.addEventListener('change', onOrderChange);

  /** The regions of `source` without the small ones, and how many small ones were left out (kept until the map or threshold changes). */
  function regionsOf(source: RegionSource): { regions: ThresholdRegion[]; removed: number } {
    const { grid, threshold, smallRegionVoxels } = source;
    if (kept?.grid !== grid || kept.threshold !== threshold || kept.smallRegionVoxels !== smallRegionVoxels) {
      const { kept: regions, removed } = withoutSmallRegions(thresholdRegions(grid, threshold, source.measure), smallRegionVoxels);
      kept = { grid, threshold, smallRegionVoxels, regions, removed };
    }
    return kept;
  }

  function show(source: RegionSource | undefined): RegionsReport | null {
    root.hidden = !source;
    if (!source) {
      listed = [];
      return null;
    }
    const chosen = (REGION_ORDERS.find((o) => o === order.value) ?? 'size') satisfies RegionOrder;
    const { regions: found, removed } = regionsOf(source);
    const regions = sortRegions(found, chosen);
    listed = regions.slice(0, REGION_ROWS);
    const { unit } = source.measure;
    const total = regions.reduce((sum, r) => sum + r.size, 0);
    const threshold = Number(source.threshold.toPrecision(3));
    summary.textContent =
      regions.length === 0
        ? `No region of ${source.name} ≥ ${threshold}`
        : `${regions.length} region${regions.length === 1 ? '' : 's'} of ${source.name} ≥ ${threshold}, ${regionSizeText(total, unit)} in all`;
    if (removed > 0) summary.textContent += ` (${removed} of at most ${source.smallRegionVoxels} voxels left out)`;
    rows.replaceChildren(
      ...listed.map((region, index) => {
        const text = `${regionSizeText(region.size, unit)} · peak ${region.peak.toPrecision(3)} · ${source.placeOf(region)}`;
        const button = element('button', { className: 'region-row', text, attributes: { type: 'button', title: 'Go to this region' } });
        button.addEventListener('click', () => onPick(listed[index]));
        return element('li', {}, [button]);
      }),
    );
    const rest = regions.length - listed.length;
    more.textContent = rest > 0 ? `… and ${rest} ${chosen === 'size' ? 'smaller' : 'lower'}` : '';
    return {
      map: source.name,
      threshold: source.threshold,
      count: regions.length,
      smallRemoved: removed,
      unit,
      order: chosen,
      rows: listed.map(({ voxels, size, peak, focus }) => ({ voxels, size, peak, focus })),
    };
  }

  return { root, show, click: (index) => rows.querySelectorAll('button')[index]?.click() };
}
