// Shared by the worker and CLI tests: a folder of small synthetic PNGs, a tiny model configuration
// that trains in well under a second per epoch, and the paths of the built bundles.

import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PNG } from 'pngjs';
import type { TrainingConfig, VqVaeConfig } from '../../models/vqvae/config';

export const TINY_MODEL: VqVaeConfig = { inputSize: 16, channels: [4, 8], residualBlocks: 1, codebookSize: 8, codebookDim: 4, beta: 0.25, dropout: 0.1 };
export const TINY_TRAINING: TrainingConfig = { epochs: 2, batchSize: 4, learningRate: 1e-3, seed: 1 };

export const IMAGE_WIDTH = 24;
export const IMAGE_HEIGHT = 20;

/**
 * Writes `count` gray PNGs (IMAGE_WIDTH x IMAGE_HEIGHT: a horizontal gradient with a bright disc whose
 * place depends on the index) into `folder`, and returns their paths, sorted.
 */
export function writeSyntheticPngs(folder: string, count: number): string[] {
  mkdirSync(folder, { recursive: true });
  return Array.from({ length: count }, (_, index) => {
    const png = new PNG({ width: IMAGE_WIDTH, height: IMAGE_HEIGHT });
    const [cx, cy] = [4 + ((index * 5) % 16), 4 + ((index * 3) % 12)];
    for (let y = 0; y < IMAGE_HEIGHT; y++) {
      for (let x = 0; x < IMAGE_WIDTH; x++) {
        const gray = (x - cx) ** 2 + (y - cy) ** 2 < 9 ? 230 : 40 + 6 * x;
        png.data.set([gray, gray, gray, 255], 4 * (y * IMAGE_WIDTH + x));
      }
    }
    const file = join(folder, `image${index}.png`);
    writeFileSync(file, PNG.sync.write(png));
    return file;
  });
}

/** A bundle built by `node esbuild.mjs` (the unit-test command builds dist/ before running the tests). */
export function builtBundle(name: 'worker.js' | 'cli.js'): string {
  const path = resolve('dist', name);
  if (!existsSync(path)) throw new Error(`${path} is missing: run "node esbuild.mjs" first (npm run test:unit does)`);
  return path;
}
