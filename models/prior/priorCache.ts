// Keeps the last loaded prior in memory, keyed by its folder and its manifest's modification time (like
// the worker's ModelCache for the VQ-VAE): scoring many scans loads it once, a retrained prior afresh.
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ScoringPrior } from '../scoring/priorMaps';
import { hasPrior, loadPrior, priorManifestPath } from './priorCheckpoint';

export class PriorCache {
  private cached: { key: string; loaded: ScoringPrior } | undefined;

  /** The prior of `modelDir` with its calibration, or undefined when the model folder has none. */
  async load(modelDir: string): Promise<ScoringPrior | undefined> {
    if (!hasPrior(modelDir)) return undefined;
    const key = `${resolve(modelDir)}@${statSync(priorManifestPath(modelDir)).mtimeMs}`;
    if (this.cached?.key === key) return this.cached.loaded;
    const { prior, manifest } = await loadPrior(modelDir);
    this.cached?.loaded.prior.dispose();
    this.cached = { key, loaded: { prior, calibration: manifest.calibration } };
    return this.cached.loaded;
  }
}
