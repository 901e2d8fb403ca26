// The anomaly gallery webview: the scored files of a folder as thumbnails (image with its residual map
// blended on top), most anomalous first, with a score filter. Clicking a thumbnail (or Enter / Space on
// a focused one) asks the host to open that entry in the scan viewer. After every change the page
// reports what it shows ('rendered'). Messages: galleryProtocol.ts.

import { provideVSCodeDesignSystem, vsCodeButton } from '@vscode/webview-ui-toolkit';
import type { Thumbnail } from '../../models/worker/protocol';
import { connectToHost } from '../vscodeApi';
import { buildGalleryDom, buildTile, type TileDom } from './galleryDom';
import { mostAnomalousFirst, passesFilter, scoreAtSlider, scoreRange, sliderAtScore, visibleCount } from './galleryFilter';
import type { GalleryEntry, GalleryReport, GalleryToHost, HostToGallery } from './galleryProtocol';
import { renderThumbnail, sharedMapWindow } from './thumbnailImage';

provideVSCodeDesignSystem().register(vsCodeButton());

const host = connectToHost<GalleryToHost, HostToGallery>();
const dom = buildGalleryDom(document.getElementById('app')!);
/** The tiles in the order shown, each with the overlay pixel count of its drawing. */
let tiles: { tile: TileDom; name: string; overlayPixels: number }[] = [];
let minScore = 0;

host.onMessage((message: HostToGallery) => {
  switch (message.type) {
    case 'entries':
      showEntries(message.folder, message.model, message.entries, message.skipped);
      break;
    case 'setMinScore':
      setMinScore(message.minScore);
      break;
    case 'clickEntry':
      tiles.find(({ tile }) => tile.index === message.index)?.tile.root.click();
      break;
  }
});

dom.slider.addEventListener('input', () => setMinScore(scoreAtSlider(scores(), Number(dom.slider.value))));
dom.minScore.addEventListener('change', () => {
  const value = Number(dom.minScore.value);
  if (dom.minScore.value.trim() !== '' && Number.isFinite(value)) setMinScore(value);
});
dom.showAll.addEventListener('click', () => setMinScore(scoreRange(scores()).low));

host.post({ type: 'ready' });

function scores(): number[] {
  return tiles.map(({ tile }) => tile.score);
}

function showEntries(folder: string, model: string, entries: GalleryEntry[], skipped: number): void {
  dom.title.textContent = `Anomaly gallery · ${folder}`;
  const skippedText = skipped > 0 ? ` · ${skipped} skipped (see the VQ Anomaly log)` : '';
  dom.summary.textContent = `${entries.length} scored with ${model}${skippedText}`;
  const mapWindow = sharedMapWindow(entries.flatMap((e) => (e.thumbnail ? [e.thumbnail] : [])));
  const indexed = entries.map((entry, index) => ({ ...entry, index }));
  tiles = mostAnomalousFirst(indexed).map(({ name, score, normalRank, thumbnail, index }) => {
    const tile = buildTile(name, score, index, normalRank);
    const open = () => host.post({ type: 'open', index });
    tile.root.addEventListener('click', open);
    tile.root.addEventListener('keydown', (event) => {
      if (event.key !== 'Enter' && event.key !== ' ') return;
      event.preventDefault();
      open();
    });
    const overlayPixels = thumbnail ? drawThumbnail(tile.canvas, thumbnail, mapWindow) : 0;
    return { tile, name, overlayPixels };
  });
  dom.grid.replaceChildren(...tiles.map(({ tile }) => tile.root));
  setMinScore(scoreRange(scores()).low);
}

/** Paints the thumbnail on its canvas; returns the pixels where the map shows. */
function drawThumbnail(canvas: HTMLCanvasElement, thumbnail: Thumbnail, mapWindow: ReturnType<typeof sharedMapWindow>): number {
  const drawn = renderThumbnail(thumbnail, mapWindow);
  canvas.width = drawn.width;
  canvas.height = drawn.height;
  canvas.getContext('2d')!.putImageData(new ImageData(drawn.pixels, drawn.width, drawn.height), 0, 0);
  return drawn.overlayPixels;
}

function setMinScore(value: number): void {
  minScore = value;
  for (const { tile } of tiles) tile.root.hidden = !passesFilter(tile.score, minScore);
  dom.slider.value = String(sliderAtScore(scores(), minScore));
  dom.minScore.value = String(Number(minScore.toPrecision(6)));
  dom.shownCount.textContent = `${visibleCount(scores(), minScore)} of ${tiles.length} shown`;
  host.post({ type: 'rendered', report: report() });
}

function report(): GalleryReport {
  return {
    names: tiles.map(({ name }) => name),
    scores: scores(),
    minScore,
    visible: visibleCount(scores(), minScore),
    thumbnailPixels: tiles.map(({ tile }) => paintedPixels(tile.canvas)),
    overlayPixels: tiles.map(({ overlayPixels }) => overlayPixels),
  };
}

/** Pixels of a canvas with any colour, read back from the canvas itself (0 for one never drawn). */
function paintedPixels(canvas: HTMLCanvasElement): number {
  if (canvas.width === 0 || canvas.height === 0) return 0;
  const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
  let painted = 0;
  for (let o = 0; o < data.length; o += 4) if (data[o + 3] > 0 && (data[o] > 0 || data[o + 1] > 0 || data[o + 2] > 0)) painted++;
  return painted;
}
