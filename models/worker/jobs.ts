// The model jobs behind both the worker's methods and the CLI's commands: train a model on a folder,
// score one scan, score every scan of a folder.

import { existsSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { loadTrainingSlices, listScanFiles } from '../io/dataset';
import { BadInputError } from '../io/errors';
import { isInsideFolder } from '../io/insideFolder';
import { readScan, type Volume } from '../io/volume';
import type { BackendName } from '../runtime/backendNames';
import { scoreVolume } from '../scoring/scoreScan';
import { loadModel, type ModelManifest, normalizationOf, updateManifest } from '../vqvae/checkpoint';
import type { VqVae } from '../vqvae/model';
import { aggregateCodebook } from '../vqvae/aggregateCodebook';
import { scanModality } from '../scoring/modality';
import { rankAmongNormal, samePostProcessing, type NormalRange, type NormalRank } from '../scoring/normalRange';
import { plural } from '../cliSupport';
import type { PostProcessing } from '../scoring/postProcessing';
import { byKindThenScore, type ScanKind, scanKindOf } from '../scoring/ranking';
import { dataProfile, fitWarnings } from '../scoring/trainingFit';
import { resolveTrainingConfig, resolveVqVaeConfig, type TrainingConfig } from '../vqvae/config';
import { type TrainOptions, trainVqVae } from '../vqvae/train';
import { fewStepsWarning } from '../vqvae/trainingLength';
import { validateTrainingConfig, validateVqVaeConfig } from '../vqvae/validateConfig';
import { CancelledError } from './cancelled';
import { folderPriorScoring, loadScoringPrior, priorScoreOf } from './priorJobs';
import { thumbnailOf } from './thumbnail';
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
  VolumeOfFile,
} from './protocol';

/** How a job reports to its caller and learns that it should stop. */
export interface JobControl<Progress> {
  onProgress(progress: Progress): void;
  isCancelled(): boolean;
  log(line: string): void;
}

/** The sub-folder of a training folder that holds labelled anomalies by convention (ss-VQ-VAE, methods.md §3). */
export const ANOMALOUS_SUBFOLDER = 'anomalous';

/** The folder of labelled anomalies: the one named, else `<folder>/anomalous/` when it exists, else none. */
function anomalousFolderOf(params: TrainParams): string | undefined {
  if (params.anomalousFolder) return params.anomalousFolder;
  const conventional = join(params.folder, ANOMALOUS_SUBFOLDER);
  return existsSync(conventional) && statSync(conventional).isDirectory() ? conventional : undefined;
}

/** The glob pattern (io/glob.ts) of everything under `inner` when it lies inside `folder`, else none. */
export function patternBelow(folder: string, inner: string): string[] {
  const rel = relative(folder, inner);
  return rel === '' || !isInsideFolder(folder, inner) ? [] : [`${rel.split(sep).join('/')}/**`];
}

/**
 * Trains a VQ-VAE on every usable image / axial slice of `params.folder`, checkpointing every epoch
 * into `params.modelDir`: from scratch, resumed (`resume`), or fine-tuned from another model
 * (`fineTuneFrom`). With labelled anomalies (anomalousFolderOf) it trains the ss-VQ-VAE. On cancel it
 * returns `cancelled: true`; the folder keeps the last epoch.
 */
export async function runTrain(params: TrainParams, backend: BackendName, control: JobControl<TrainProgress>): Promise<TrainResult> {
  validateTrainingConfig(params.training); // before reading the data, which can take long
  let initial: VqVae | undefined;
  if (params.fineTuneFrom) {
    initial = (await loadModel(params.fineTuneFrom)).model;
    control.log(`Fine-tuning ${params.fineTuneFrom} (its model configuration is kept) into ${params.modelDir}`);
  } else validateVqVaeConfig(params.model);
  try {
    const config = initial?.config ?? params.model;
    const { validationFraction, seed } = resolveTrainingConfig(params.training);
    const anomalousFolder = anomalousFolderOf(params);
    // The validation split is by file, so that the slices of one volume stay on one side.
    const data = await loadTrainingSlices(params.folder, config.inputSize, control.log, {
      ...params.data,
      aspect: resolveVqVaeConfig(config).aspect,
      validationFraction,
      seed,
      exclude: [...(params.data?.exclude ?? []), ...(anomalousFolder ? patternBelow(params.folder, anomalousFolder) : [])],
    });
    const { epochs, batchSize } = resolveTrainingConfig(params.training);
    const fewSteps = fewStepsWarning(epochs, data.slices.length, batchSize);
    if (fewSteps && !params.resume) control.log(`Warning: ${fewSteps}`);
    const anomalous = anomalousFolder
      ? (
          await loadTrainingSlices(anomalousFolder, config.inputSize, control.log, {
            normalization: params.data?.normalization,
            aspect: resolveVqVaeConfig(config).aspect,
          })
        ).slices
      : [];
    if (anomalousFolder) control.log(`${anomalous.length} labelled anomalous images from ${anomalousFolder}: semi-supervised training (ss-VQ-VAE)`);
    const files = data.files.length + data.validation.files.length;
    const images = data.slices.length + data.validation.slices.length;
    const options: TrainOptions = {
      modelDir: params.modelDir,
      dataSummary: {
        folder: params.folder,
        files,
        images,
        skipped: data.skipped.length,
        profile: dataProfile([...data.files, ...data.validation.files], [...data.slices, ...data.validation.slices]),
      },
      normalization: params.data?.normalization,
      validation: data.validation.slices,
      backendName: backend,
      initial,
      fineTunedFrom: params.fineTuneFrom,
      resume: params.resume,
      anomalous,
      onProgress: control.onProgress,
      isCancelled: control.isCancelled,
      log: control.log,
    };
    let trained = await trainVqVae(data.slices, config, params.training, options);
    const { aggregateCodebookEpochs } = resolveTrainingConfig(params.training);
    if (aggregateCodebookEpochs > 0 && !trained.cancelled) {
      trained = await aggregateAndFineTune(trained.model, data.slices, params.training, aggregateCodebookEpochs, options);
    }
    if (trained.model !== initial) trained.model.dispose();
    if (!trained.cancelled) await recordNormalScores(trained.modelDir, data.validation.files, control);
    return {
      modelDir: trained.modelDir,
      epochsCompleted: trained.epochsCompleted,
      finalLoss: trained.finalLoss,
      bestEpoch: trained.bestEpoch,
      bestLoss: trained.bestLoss,
      bestLossOn: trained.bestLossOn,
      images: trained.images,
      trainImages: trained.trainImages,
      validationImages: trained.validationImages,
      cancelled: trained.cancelled,
      ...(trained.health && { health: trained.health }),
    };
  } finally {
    initial?.dispose();
  }
}

/**
 * Scores the validation files with the saved model, as scans are scored (default post-processing for
 * each file's modality), and keeps their scores in the manifest per scan kind (scoring/normalRange.ts).
 * Nothing when there are none, and nothing kept when cancelled or when a file cannot be scored.
 */
async function recordNormalScores(modelDir: string, files: string[], control: JobControl<TrainProgress>): Promise<void> {
  if (files.length === 0) return;
  control.log(`Scoring the ${plural(files.length, 'validation file')} for the normal range of the scores`);
  const { model, manifest } = await loadModel(modelDir);
  const range: NormalRange = {};
  try {
    for (const file of files) {
      if (control.isCancelled()) return;
      const volume = await readScan(file);
      const scored = await scoreVolume(model, volume, { modality: scanModality(undefined, file, volume), normalization: normalizationOf(manifest) });
      const kind = scanKindOf(volume.dims[2]);
      const normal = (range[kind] ??= { scores: [], postProcessing: scored.postProcessing });
      // One post-processing per kind: a file of another modality (other defaults) does not count.
      if (samePostProcessing(normal.postProcessing, scored.postProcessing)) normal.scores.push(scored.score);
    }
  } catch (error) {
    if (!(error instanceof BadInputError)) throw error;
    control.log(`No normal range: ${error.message}`);
    return;
  } finally {
    model.dispose();
  }
  for (const normal of Object.values(range)) normal.scores.sort((a, b) => a - b);
  await updateManifest(modelDir, { normalScores: range });
}

/** Where a score lies among the model's normal scans of its kind scored the same way; nothing without them. */
function normalRankOf(manifest: ModelManifest, kind: ScanKind, scored: { score: number; postProcessing: PostProcessing }): { normalRank?: NormalRank } {
  const normalRank = rankAmongNormal(scored.score, kind, scored.postProcessing, manifest.normalScores);
  return normalRank ? { normalRank } : {};
}

/**
 * LSGS aggregated codebook (methods.md §2): replaces the trained model's codebook by the k-means
 * centres of the training encodings, then fine-tunes it for `epochs` epochs into the same model folder.
 */
async function aggregateAndFineTune(
  model: VqVae,
  slices: Float32Array[],
  training: TrainingConfig,
  epochs: number,
  options: TrainOptions,
): Promise<Awaited<ReturnType<typeof trainVqVae>>> {
  const { usageBefore, usageAfter } = await aggregateCodebook(model, slices, { seed: training.seed });
  options.log?.(`Aggregated codebook (k-means over the training encodings): ${usageBefore} -> ${usageAfter} codes used; fine-tuning ${epochs} epochs`);
  const fineTuning = { ...training, epochs, aggregateCodebookEpochs: 0 };
  return trainVqVae(slices, model.config, fineTuning, { ...options, initial: model, resume: false, aggregatedCodebook: { usageBefore, usageAfter } });
}

/** `{ volume }` for a volume of a 4D file, or nothing. */
function volumeOfFile(volume: Volume): { volume?: VolumeOfFile } {
  const source = volume.source;
  return source && source.volumeCount > 1 ? { volume: { index: source.volumeIndex, count: source.volumeCount } } : {};
}

/** Scores one scan with the model of `params.modelDir` (and its prior, if any): its maps in the scan's grid and its scores. */
export async function runScoreScan(params: ScoreScanParams, models: ModelCache, control: JobControl<CountProgress>): Promise<ScanScore> {
  const { model, manifest } = await models.load(params.modelDir);
  const prior = await loadScoringPrior(params.modelDir);
  const volume = await readScan(params.file, control.log, { volumeIndex: params.volumeIndex });
  const normalization = normalizationOf(manifest);
  const modality = scanModality(params.scoring, params.file, volume);
  const scored = await scoreVolume(model, volume, {
    ...params.scoring,
    modality,
    normalization,
    prior,
    onProgress: control.onProgress,
    isCancelled: control.isCancelled,
  });
  const normal = normalRankOf(manifest, scanKindOf(volume.dims[2]), scored);
  return { file: params.file, ...scored, warnings: fitWarnings(manifest, scored.fit), ...volumeOfFile(volume), ...normal };
}

/**
 * Scores every scan of `params.folder` (recursively), or the `params.files` given, in this process, volumes
 * first, then images, each most anomalous first (ties in file order), each with its thumbnail when `thumbnailSize` asks for one. Files
 * that cannot be read are listed in `skipped` with the reason instead of failing the whole folder.
 */
export async function runScoreFolder(params: ScoreFolderParams, models: ModelCache, control: JobControl<CountProgress>): Promise<ScoreFolderResult> {
  const { files, skipped } = params.files ? { files: params.files, skipped: [] } : listScanFiles(params.folder);
  const { model, manifest } = await models.load(params.modelDir);
  const normalization = normalizationOf(manifest);
  const priorScoring = await folderPriorScoring(params.modelDir, params.scoring); // the LSR sample score, NLL only
  const scores: FileScore[] = [];
  for (const [index, file] of files.entries()) {
    if (control.isCancelled()) throw new CancelledError(`Scoring of ${params.folder} cancelled after ${index} of ${files.length} files`);
    try {
      const volume = await readScan(file, control.log);
      const modality = scanModality(params.scoring, file, volume);
      const scored = await scoreVolume(model, volume, { ...params.scoring, ...priorScoring, modality, normalization, isCancelled: control.isCancelled });
      const thumbnail = params.thumbnailSize ? { thumbnail: thumbnailOf(scored, params.thumbnailSize) } : {};
      const warnings = fitWarnings(manifest, scored.fit);
      scores.push({
        file,
        kind: scanKindOf(volume.dims[2]),
        score: scored.score,
        ...thumbnail,
        ...priorScoreOf(scored),
        ...(warnings.length > 0 && { warnings }),
        ...volumeOfFile(volume),
        ...normalRankOf(manifest, scanKindOf(volume.dims[2]), scored),
      });
    } catch (error) {
      if (!(error instanceof BadInputError)) throw error;
      skipped.push({ file, reason: error.message });
    }
    control.onProgress({ done: index + 1, total: files.length, file });
  }
  scores.sort(byKindThenScore); // stable: equal scores keep the file order
  return { scores, skipped };
}
