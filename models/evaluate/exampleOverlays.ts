// Example overlays of an evaluation, so that a reader sees what the numbers mean: of all samples (a 2D
// image, or a volume slice), the one the map scores highest, and the anomalous one it scores lowest
// (the lesion or defect it is most likely to miss). Each becomes one PNG of three panels side by side:
// the image (gray), the map (hot colormap; both examples on one scale, white = the larger of their
// maxima) and the image with the ground truth in red. Volume slices are drawn with their rows flipped,
// anterior up, as the scan viewer draws them.

import { PNG } from 'pngjs';
import { HOT } from '../../webview/colormap';

/** The map the examples show: the residual, whose 99th percentile (scoreOfRegion) is the product's slice and scan score. */
export const EXAMPLE_MAP = 'residual';

export type ExampleRole = 'top-scoring' | 'missed';

/** What the report says about an example; its PNG is `file`, beside report.md. */
export interface ExampleSummary {
  role: ExampleRole;
  file: string;
  scan: string;
  /** The axial slice of a volume; null for a 2D image. */
  slice: number | null;
  /** The sample's score: the mean of the map over the image or slice. */
  score: number;
  anomalous: boolean;
}

/** A sample offered as an example, with its pixels (row-major, width x height) read only when it is kept. */
export interface ExampleCandidate {
  scan: string;
  slice: number | null;
  score: number;
  anomalous: boolean;
  width: number;
  height: number;
  pixels(): { image: Float32Array; map: Float32Array; mask: Uint8Array };
}

interface KeptExample {
  summary: Omit<ExampleSummary, 'role' | 'file'>;
  width: number;
  height: number;
  image: Float32Array;
  map: Float32Array;
  mask: Uint8Array;
}

const FILE_OF_ROLE: Record<ExampleRole, string> = { 'top-scoring': 'example-top-scoring.png', missed: 'example-missed.png' };
/** Gap between the panels, in output pixels. */
const GAP = 4;
/** Small images are enlarged (nearest neighbour) to at least this height. */
const MIN_PANEL_HEIGHT = 128;

/** Keeps the examples while the samples go by (a copy of two slices, not of the test set). */
export class ExampleChooser {
  private readonly kept: Partial<Record<ExampleRole, KeptExample>> = {};

  offer(candidate: ExampleCandidate): void {
    const { 'top-scoring': top, missed } = this.kept;
    if (!top || candidate.score > top.summary.score) this.kept['top-scoring'] = copyOf(candidate);
    if (candidate.anomalous && (!missed || candidate.score < missed.summary.score)) this.kept.missed = copyOf(candidate);
  }

  /** The examples' summaries and PNG files (file name -> bytes). */
  render(): { examples: ExampleSummary[]; images: Record<string, Uint8Array> } {
    const roles = (Object.keys(this.kept) as ExampleRole[]).sort();
    const white = Math.max(0, ...roles.map((role) => maxOf(this.kept[role]!.map)));
    const examples = roles.map((role) => ({ role, file: FILE_OF_ROLE[role], ...this.kept[role]!.summary }));
    const images = Object.fromEntries(roles.map((role) => [FILE_OF_ROLE[role], panelsPng(this.kept[role]!, white)]));
    return { examples, images };
  }
}

function copyOf(candidate: ExampleCandidate): KeptExample {
  const { image, map, mask } = candidate.pixels();
  const { scan, slice, score, anomalous, width, height } = candidate;
  return { summary: { scan, slice, score, anomalous }, width, height, image: image.slice(), map: map.slice(), mask: mask.slice() };
}

function maxOf(values: Float32Array): number {
  let max = -Infinity;
  for (const value of values) max = Math.max(max, value);
  return max;
}

/** RGB of the three panels of one example, as a PNG. */
function panelsPng(example: KeptExample, white: number): Uint8Array {
  const { width, height, image, map, mask } = example;
  const scale = Math.max(1, Math.ceil(MIN_PANEL_HEIGHT / height));
  const [panelWidth, panelHeight] = [width * scale, height * scale];
  const png = new PNG({ width: 3 * panelWidth + 2 * GAP, height: panelHeight });
  png.data.fill(255);
  const gray = (i: number) => Math.round(255 * Math.min(1, Math.max(0, image[i])));
  const panels: ((i: number) => [number, number, number])[] = [
    (i) => [gray(i), gray(i), gray(i)],
    (i) => {
      const entry = 4 * Math.round(255 * Math.min(1, Math.max(0, white > 0 ? map[i] / white : 0)));
      return [HOT[entry], HOT[entry + 1], HOT[entry + 2]];
    },
    (i) => (mask[i] ? [128 + (gray(i) >> 1), gray(i) >> 1, gray(i) >> 1] : [gray(i), gray(i), gray(i)]),
  ];
  const flipRows = example.summary.slice !== null;
  for (let y = 0; y < panelHeight; y++) {
    const row = Math.floor(y / scale);
    const sourceRow = flipRows ? height - 1 - row : row;
    for (let x = 0; x < panelWidth; x++) {
      const i = sourceRow * width + Math.floor(x / scale);
      panels.forEach((colorOf, k) => {
        const at = 4 * (y * png.width + k * (panelWidth + GAP) + x);
        png.data.set(colorOf(i), at);
      });
    }
  }
  return PNG.sync.write(png);
}
