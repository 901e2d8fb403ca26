// The one typed protocol between the extension host and the anomaly gallery webview
// (extension/gallery/galleryPanel.ts <-> webview/gallery/main.ts). Thumbnails travel as Float32Array
// grids (binary), never as JSON number arrays. The webview names files by their index in `entries`
// only; the host resolves an index to its file, so the webview can never name a path.

import type { ScanKind } from '../../models/scoring/ranking';
import type { Thumbnail } from '../../models/worker/protocol';
import { isCount, isFiniteNumber } from '../messageChecks';

/** One scored file of the gallery. */
export interface GalleryEntry {
  /** The file relative to the scored folder ('/'-separated), as shown under the thumbnail; never a path the webview could use. */
  name: string;
  /** Ranked only among entries of its kind (models/scoring/ranking.ts). */
  kind: ScanKind;
  score: number;
  /** In words, where the score lies among the model's normal scans (models/scoring/normalRange.ts); absent without them. */
  normalRank?: string;
  /** Absent when the worker sent none. */
  thumbnail?: Thumbnail;
}

export type HostToGallery =
  /** The scored folder (its name), most anomalous first (the worker's order); `skipped` files could not be scored. */
  | { type: 'entries'; folder: string; model: string; entries: GalleryEntry[]; skipped: number }
  /** Automation (tests, commands): set the score filter, or click entry `index`, as a user would in the page. */
  | { type: 'setMinScore'; minScore: number }
  | { type: 'clickEntry'; index: number };

/** What the gallery shows, reported after every change (used by tests through the ExtensionApi). */
export interface GalleryReport {
  /** Every entry's name and score, in the order shown (most anomalous first). */
  names: string[];
  scores: number[];
  /** The filter: entries scoring below it are hidden. */
  minScore: number;
  /** How many entries the filter leaves visible. */
  visible: number;
  /** Per entry, in the same order: thumbnail canvas pixels with any colour (0 for an empty canvas). */
  thumbnailPixels: number[];
  /** Per entry: pixels where the anomaly map was painted over the image. */
  overlayPixels: number[];
}

export type GalleryToHost =
  | { type: 'ready' }
  /** Open entry `index` (of the last `entries`) in the scan viewer. */
  | { type: 'open'; index: number }
  | { type: 'rendered'; report: GalleryReport };

const isList = <T>(v: unknown, item: (x: unknown) => x is T, length: number): v is T[] => Array.isArray(v) && v.length === length && v.every(item);

/** Checks a message from the gallery webview before the host acts on it (webviews are not trusted). */
export function parseGalleryMessage(value: unknown): GalleryToHost | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const m = value as Record<string, unknown>;
  switch (m.type) {
    case 'ready':
      return { type: 'ready' };
    case 'open':
      return isCount(m.index) ? { type: 'open', index: m.index } : undefined;
    case 'rendered': {
      const r = m.report as Record<string, unknown> | undefined;
      if (typeof r !== 'object' || r === null || !Array.isArray(r.names)) return undefined;
      const count = r.names.length;
      const isName = (v: unknown): v is string => typeof v === 'string';
      if (!isList(r.names, isName, count) || !isList(r.scores, isFiniteNumber, count)) return undefined;
      if (!isList(r.thumbnailPixels, isCount, count) || !isList(r.overlayPixels, isCount, count)) return undefined;
      if (!isFiniteNumber(r.minScore) || !isCount(r.visible) || r.visible > count) return undefined;
      const report = {
        names: r.names,
        scores: r.scores,
        minScore: r.minScore,
        visible: r.visible,
        thumbnailPixels: r.thumbnailPixels,
        overlayPixels: r.overlayPixels,
      };
      return { type: 'rendered', report };
    }
    default:
      return undefined;
  }
}
