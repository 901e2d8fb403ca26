// Folder scoring on 1 worker process against N (models/pool/scoringPool.ts), with a randomly
// initialised model of the default preset saved for the workers to load.
import { join } from 'node:path';
import { ScoringPool } from '../models/pool/scoringPool';
import type { BackendName } from '../models/runtime/backendNames';
import { saveModel } from '../models/vqvae/checkpoint';
import type { VqVaeConfig } from '../models/vqvae/config';
import { VqVae } from '../models/vqvae/model';

/** Saves an untrained model of `config` into `modelDir` (scoring time does not depend on the weights). */
export async function saveUntrainedModel(modelDir: string, config: VqVaeConfig): Promise<void> {
  const model = VqVae.create(config, 1);
  await saveModel(modelDir, model, {
    name: 'bench',
    created: new Date().toISOString(),
    backend: 'wasm',
    config,
    training: { epochs: 0, batchSize: 1, learningRate: 0, seed: 1, epochsCompleted: 0, finalLoss: 0, lossHistory: [], seconds: 0 },
    normalization: 'percentile-0.5-99.5',
    data: { folder: '', files: 0, images: 0, skipped: 0 },
  });
  model.dispose();
}

/** Wall seconds to score `files` with `processes` workers, worker start-up included. */
export async function poolSeconds(modelDir: string, files: string[], processes: number, backend: BackendName): Promise<number> {
  const pool = new ScoringPool({ workerScript: join('dist', 'worker.js'), processes, backend });
  const start = performance.now();
  const result = await pool.scoreFiles(modelDir, files);
  if (result.skipped.length > 0) throw new Error(`The pool skipped ${result.skipped[0].file}: ${result.skipped[0].reason}`);
  return (performance.now() - start) / 1000;
}
