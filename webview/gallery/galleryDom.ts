// The gallery page's elements: a header, the score filter (slider, number box, "Show all") and the grid
// of thumbnails; one tile per scored file, a button (click, Enter or Space) that opens it.

import type { Button } from '@vscode/webview-ui-toolkit';
import { element } from '../dom';
import { SLIDER_STEPS } from './galleryFilter';

export interface GalleryDom {
  title: HTMLElement;
  summary: HTMLElement;
  slider: HTMLInputElement;
  minScore: HTMLInputElement;
  showAll: Button;
  shownCount: HTMLElement;
  grid: HTMLElement;
}

/** One thumbnail: the tile (the focusable button), its canvas, and the entry's index in the host's list. */
export interface TileDom {
  root: HTMLElement;
  canvas: HTMLCanvasElement;
  index: number;
  score: number;
}

export function buildGalleryDom(root: HTMLElement): GalleryDom {
  const title = element('span', { className: 'file-name', text: 'Anomaly gallery' });
  const summary = element('span', { className: 'score', text: 'Scoring…' });
  const header = element('header', { className: 'header' }, [title, summary]);

  const slider = element<HTMLInputElement>('input', {
    attributes: { type: 'range', min: '0', max: String(SLIDER_STEPS), step: '1', value: '0', 'aria-label': 'Lowest score shown' },
  });
  const minScore = element<HTMLInputElement>('input', { attributes: { type: 'number', step: 'any', 'aria-label': 'Show scores greater than or equal to' } });
  const showAll = element<Button>('vscode-button', { text: 'Show all', attributes: { appearance: 'secondary', title: 'Clear the score filter' } });
  const shownCount = element('span', { className: 'control-label', attributes: { role: 'status' } });
  const filter = element('div', { className: 'toolbar', attributes: { role: 'toolbar', 'aria-label': 'Score filter' } }, [
    element('label', { className: 'labelled' }, [element('span', { text: 'Show scores ≥' }), slider, minScore]),
    showAll,
    shownCount,
  ]);

  const grid = element('div', { className: 'gallery-grid', attributes: { role: 'group', 'aria-label': 'Scans, most anomalous first' } });
  root.append(header, filter, grid);
  return { title, summary, slider, minScore, showAll, shownCount, grid };
}

/** A tile: the thumbnail, the name and the score, and in its tooltip where the score lies among normal scans when known. */
export function buildTile(name: string, score: number, index: number, normalRank?: string): TileDom {
  const canvas = element<HTMLCanvasElement>('canvas', { className: 'thumbnail', attributes: { 'aria-hidden': 'true' } });
  const caption = element('div', { className: 'tile-caption' }, [
    element('span', { className: 'tile-name', text: name, attributes: { title: name } }),
    element('span', { className: 'tile-score', text: score.toFixed(4) }),
  ]);
  const label = `${name}, score ${score.toFixed(4)}${normalRank ? `, ${normalRank}` : ''}: open in the scan viewer`;
  const root = element('div', { className: 'tile', attributes: { role: 'button', tabindex: '0', 'aria-label': label, title: label } }, [canvas, caption]);
  return { root, canvas, index, score };
}
