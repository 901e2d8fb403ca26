// Keeps the last loaded model in memory, keyed by its folder and its manifest's modification time:
// scoring many scans loads it once, and a model retrained in the same folder is loaded afresh.

import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadModel, MANIFEST_FILE, type ModelManifest } from '../vqvae/checkpoint';
import type { VqVae } from '../vqvae/model';

export interface LoadedModel {
  model: VqVae;
  manifest: ModelManifest;
}

export class ModelCache {
  private cached: { key: string; loaded: LoadedModel } | undefined;

  /** The model in `modelDir`, loaded once per version of its manifest; the previous model is then disposed. */
  async load(modelDir: string): Promise<LoadedModel> {
    const key = `${resolve(modelDir)}@${manifestTime(modelDir)}`;
    if (this.cached?.key === key) return this.cached.loaded;
    const loaded = await loadModel(modelDir);
    this.cached?.loaded.model.dispose();
    this.cached = { key, loaded };
    return loaded;
  }
}

/** The manifest's modification time; 0 when it is missing (loadModel then says what is wrong). */
function manifestTime(modelDir: string): number {
  try {
    return statSync(join(modelDir, MANIFEST_FILE)).mtimeMs;
  } catch {
    return 0;
  }
}
