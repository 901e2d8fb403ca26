// The model jobs behind both the worker's methods and the CLI's commands: train a model on a folder,
// score one scan, score every scan of a folder.

import { loadTrainingSlices, listScanFiles } from '../io/dataset';
import { BadInputError } from '../io/errors';
import { readScan } from '../io/volume';
import type { BackendName } from '../runtime/backendNames';
import { scoreVolume } from '../scoring/scoreScan';
import { trainVqVae } from '../vqvae/train';
import { validateTrainingConfig, validateVqVaeConfig } from '../vqvae/validateConfig';
import { CancelledError } from './cancelled';
import type { ModelCache } from './modelCache';
import type {
  CountProgress,
  FileScore,
  ScanScore,
  ScoreFolderParams,
  ScoreFolderResult,
  ScoreScanParams,
  TrainParams,
  TrainProgress,
  TrainResult,
} from './protocol';

/** How a job reports to its caller and learns that it should stop. */
export interface JobControl<Progress> {
  onProgress(progress: Progress): void;
  isCancelled(): boolean;
  log(line: string): void;
}

/**
 * Trains a VQ-VAE on every usable image / axial slice of `params.folder`, checkpointing every epoch
 * into `params.modelDir`. On cancel it returns `cancelled: true`; the folder keeps the last epoch.
 */
export async function runTrain(params: TrainParams, backend: BackendName, control: JobControl<TrainProgress>): Promise<TrainResult> {
  validateVqVaeConfig(params.model); // before reading the data, which can take long
  validateTrainingConfig(params.training);
  const data = await loadTrainingSlices(params.folder, params.model.inputSize, control.log);
  const trained = await trainVqVae(data.slices, params.model, params.training, {
    modelDir: params.modelDir,
    dataSummary: { folder: params.folder, files: data.files.length, images: data.slices.length, skipped: data.skipped.length },
    backendName: backend,
    onProgress: control.onProgress,
    isCancelled: control.isCancelled,
    log: control.log,
  });
  trained.model.dispose();
  return {
    modelDir: trained.modelDir,
    epochsCompleted: trained.epochsCompleted,
    finalLoss: trained.finalLoss,
    images: trained.images,
    cancelled: trained.cancelled,
  };
}

/** Scores one scan with the model of `params.modelDir`: its maps in the scan's grid and its scores. */
export async function runScoreScan(params: ScoreScanParams, models: ModelCache, control: JobControl<CountProgress>): Promise<ScanScore> {
  const { model } = await models.load(params.modelDir);
  const volume = await readScan(params.file, control.log);
  const scored = await scoreVolume(model, volume, { onProgress: control.onProgress, isCancelled: control.isCancelled });
  return { file: params.file, ...scored };
}

/**
 * Scores every scan of `params.folder` (recursively), most anomalous first. Files that cannot be read
 * are listed in `skipped` with the reason instead of failing the whole folder.
 */
export async function runScoreFolder(
  params: ScoreFolderParams,
  models: ModelCache,
  control: JobControl<CountProgress>,
): Promise<ScoreFolderResult> {
  const { files, skipped } = listScanFiles(params.folder);
  const { model } = await models.load(params.modelDir);
  const scores: FileScore[] = [];
  for (const [index, file] of files.entries()) {
    if (control.isCancelled()) throw new CancelledError(`Scoring of ${params.folder} cancelled after ${index} of ${files.length} files`);
    try {
      const { score } = await scoreVolume(model, await readScan(file, control.log), { isCancelled: control.isCancelled });
      scores.push({ file, score });
    } catch (error) {
      if (!(error instanceof BadInputError)) throw error;
      skipped.push({ file, reason: error.message });
    }
    control.onProgress({ done: index + 1, total: files.length, file });
  }
  scores.sort((a, b) => b.score - a.score);
  return { scores, skipped };
}
