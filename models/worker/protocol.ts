// The one typed protocol between the extension host and the model worker process.
// Transport: Node IPC of a forked child with `serialization: 'advanced'`, so typed arrays travel as
// binary. Every request has an id; the worker answers it with zero or more `progress` events and then
// exactly one `result` or `error`. A `cancel` asks the worker to stop the request with that id; the
// request then ends with an error whose code is 'cancelled'.

import type { ScanSelection } from '../io/dataset';
import type { ModelHealth } from '../vqvae/modelHealth';
import type { Modality } from '../scoring/modality';
import type { PostProcessing } from '../scoring/postProcessing';
import type { ScanKind } from '../scoring/ranking';
import type { NormalRank } from '../scoring/normalRange';
import type { ScanFit } from '../scoring/trainingFit';
import type { Normalization } from '../io/normalize';
import type { BackendInfo, BackendPreference } from '../runtime/backendNames';
import type { TrainingConfig, VqVaeConfig } from '../vqvae/config';
import type { IltmIteration } from '../prior/iltm';
import type { PriorTrainingConfig } from '../prior/priorTrainingConfig';
import type { PriorConfig } from '../prior/transformerConfig';
import type { PriorMapOptions } from '../scoring/priorMaps';
import type { EvaluationSummary } from '../evaluate/evaluationReport';

/** A 3D grid of values in x-fastest order (x = column, y = row, z = slice); 2D images have depth 1. */
export interface Grid {
  dims: [number, number, number];
  data: Float32Array;
}

export interface TrainParams {
  /** Folder of PNG/JPEG images or NIfTI volumes (sliced axially). */
  folder: string;
  /** Model folder to write (created; replaced atomically at every checkpoint). */
  modelDir: string;
  model: VqVaeConfig;
  training: TrainingConfig;
  /** Continue the training checkpointed in modelDir exactly where it stopped (same settings; `epochs` may grow). */
  resume?: boolean;
  /** Fine-tune: start from this model folder's weights and configuration (`model` is then ignored), with a fresh optimizer. */
  fineTuneFrom?: string;
  /**
   * Folder of labelled anomalous images for the semi-supervised VQ-VAE (methods.md §3). When absent, the
   * `anomalous/` sub-folder of `folder` is used if there is one; its images never count as normal.
   */
  anomalousFolder?: string;
  /**
   * Which files of `folder` are scans (include/exclude/mask glob patterns, io/dataset.ts) and how their
   * intensities are normalized (default percentile; recorded in the model, and scoring uses the same).
   */
  data?: ScanSelection & { normalization?: Normalization };
}

export interface TrainProgress {
  epoch: number;
  epochs: number;
  step: number;
  stepsPerEpoch: number;
  loss: number;
  /** Set at the end of each epoch, when the checkpoint has been written. */
  checkpointed?: boolean;
  /** The step's learning rate (after the schedule); absent on the epoch-end event. */
  learningRate?: number;
  /** With `checkpointed`: the epoch's mean loss on the held-out validation images, when the training has a validation split. */
  validationLoss?: number;
  /** With `checkpointed`: the best epoch so far, the one whose weights the model folder holds (VQ-VAE training). */
  bestEpoch?: number;
}

export interface TrainResult {
  modelDir: string;
  epochsCompleted: number;
  /** The last epoch's training loss. */
  finalLoss: number;
  /** The images trained on plus those held out for validation. */
  images: number;
  trainImages: number;
  validationImages: number;
  /** The epoch the model folder holds (the lowest monitored loss; 0 before the first epoch) and its monitored loss, on the validation images when there are any. */
  bestEpoch: number;
  bestLoss: number;
  bestLossOn: 'validation' | 'training';
  /** True when training stopped on a cancel; the model folder holds the last completed epoch. */
  cancelled: boolean;
  /** The saved epoch's health (vqvae/modelHealth.ts): its problems are told to the user. */
  health?: ModelHealth;
}

/** Trains the latent prior (methods.md §5) of the model in `modelDir` on the tokens of `folder`'s images, into `<modelDir>/prior/`. */
export interface TrainPriorParams {
  modelDir: string;
  folder: string;
  /** Overrides of the prior's architecture (default: the CPU size, causal); vocabSize and sequenceLength always follow the model. */
  prior?: Partial<PriorConfig>;
  training?: Partial<PriorTrainingConfig>;
  /**
   * Iterative Latent Token Masking for training folders with anomalies (methods.md §7): after the first
   * training, up to `iterations` rounds of KDE maps -> token masks -> retraining; 0 or absent = off.
   */
  iltm?: { iterations: number; kde?: Partial<Pick<PriorMapOptions, 'kdeSamplings' | 'kdeDropoutDecodes' | 'kdeThreshold' | 'kdeEps'>> };
  /**
   * Fine-tune: start from the prior already in `<modelDir>/prior/` (its weights and configuration; `prior`
   * is then ignored) with a fresh optimizer, and calibrate lambda_s / lambda_p again on `folder`.
   */
  fineTune?: boolean;
}

export interface TrainPriorResult {
  modelDir: string;
  epochsCompleted: number;
  finalLoss: number;
  /** Token sequences (slices) the prior trained on. */
  sequences: number;
  cancelled: boolean;
  /** The calibrated thresholds (methods.md §6), stored in the prior's manifest; NaN when cancelled. */
  lambdaS: number;
  lambdaP: number;
  /** The ILTM iterations run (threshold t and masked-token count each), when asked for. */
  iltm?: IltmIteration[];
}

/** Parameters of the SSIM and SSIM + AM maps (scoring/scoreScan.ts); absent fields take the code's defaults. */
export interface ScoringParameters {
  ssimWindowSize?: number;
  dilationSize?: number;
  /** Settings of the prior's maps (scoring/priorMaps.ts), used when the model folder holds a prior. */
  priorMaps?: Partial<PriorMapOptions>;
  /** The scans' modality, which chooses the post-processing defaults; absent: each file's own (scoring/modality.ts modalityOf). */
  modality?: Modality;
  /** Post-processing settings over the modality's defaults (scoring/postProcessing.ts). */
  postProcessing?: Partial<PostProcessing>;
  /** True: the maps as computed, only masked to the foreground (POST_PROCESSING_OFF): the viewer's raw maps. */
  raw?: boolean;
}

export interface ScoreScanParams {
  modelDir: string;
  file: string;
  scoring?: ScoringParameters;
  /** 4D NIfTI: the volume to score (default 0). */
  volumeIndex?: number;
}

/** The maps every scoring produces (methods.md §4 for alignment, ssim and ssimAlignment; labels in scoring/methods.ts). */
export const MAP_NAMES = ['reconstruction', 'residual', 'alignment', 'ssim', 'ssimAlignment'] as const;
export type MapName = (typeof MAP_NAMES)[number];
/** The maps from the latent prior (methods.md §6), produced only when the model folder holds one. */
export const PRIOR_MAP_NAMES = ['nll', 'restoration', 'kde'] as const;
export type PriorMapName = (typeof PRIOR_MAP_NAMES)[number];
/** Every map a scan can have: what the viewer's overlay choice ranges over. */
export const ALL_MAP_NAMES = [...MAP_NAMES, ...PRIOR_MAP_NAMES] as const;
export type AnyMapName = MapName | PriorMapName;
/** A scan's maps: the VQ-VAE's always, the prior's when there is one. */
export type ScanMaps = Record<MapName, Grid> & Partial<Record<PriorMapName, Grid>>;

export interface ScanScore {
  file: string;
  /** The scan's intensities after the model's normalization, in the scan's own grid. */
  image: Grid;
  /** Maps in the same grid as `image`. */
  maps: ScanMaps;
  /** One score per slice (mean residual inside the slice), and the image score (their mean over scored slices). */
  sliceScores: number[];
  score: number;
  /** With a calibrated prior: the LSR sample score sum of nll_i > lambda_s per slice, and its mean over the scored slices (methods.md §6). */
  priorScores?: { sliceScores: number[]; score: number; lambdaS: number };
  /**
   * The latent-space restorations X_j (methods.md §6) in the scan's grid, to browse one by one, and their
   * mean; only for 2D images and volumes of at most MAX_RESTORED_SLICES scored slices (memory).
   */
  restorations?: { mean: Grid; samples: Grid[] };
  /** How the scan compares with the model's training data (scoring/trainingFit.ts). */
  fit: ScanFit;
  /** The post-processing the anomaly maps went through (scoring/postProcessing.ts), which the scores depend on. */
  postProcessing: PostProcessing;
  /** Where the score lies among the model's normal validation scans (scoring/normalRange.ts); absent without them. */
  normalRank?: NormalRank;
  /** What makes the scan unlike the training data, in words (fitWarnings); absent or empty: nothing. */
  warnings?: string[];
  /** A 4D NIfTI: the volume scored (from 0) and how many the file holds; absent for a 3D volume or a 2D image. */
  volume?: VolumeOfFile;
}

/** Which volume of a 4D file was read, from 0, of how many. */
export interface VolumeOfFile {
  index: number;
  count: number;
}

export interface ScoreFolderParams {
  modelDir: string;
  folder: string;
  scoring?: ScoringParameters;
  /** Score these files (scans of `folder`) instead of listing the folder; the scoring pool hands out files this way. */
  files?: string[];
  /** Also return each file's thumbnail (FileScore.thumbnail) fitted into a square of this many pixels; absent = none. */
  thumbnailSize?: number;
  /**
   * Worker processes to spread the files over (models/pool/scoringPool.ts): 0 = one per core on the wasm
   * and cpu backends, else 1; 1 or absent = in this process. Fewer when there are few files
   * (models/pool/processCount.ts); results and order do not depend on it.
   */
  processes?: number;
}

/** Writes the maps of one scan into `folder` (inside the workspace; the extension checks): NIfTI in the input's grid, PNG heatmaps for images. */
export interface ExportMapsParams {
  modelDir: string;
  file: string;
  folder: string;
  /** The prior's maps (nll, restoration, kde) need a model folder with a prior. */
  maps: AnyMapName[];
  scoring?: ScoringParameters;
}

export interface ExportMapsResult {
  /** The files written, in the order of `maps`. */
  files: string[];
}

export interface FileScore {
  file: string;
  /** Scores are ranked only among scans of one kind (scoring/ranking.ts). */
  kind: ScanKind;
  score: number;
  /** With a calibrated prior (or a fixed lambda_s): the LSR sample score (ScanScore.priorScores.score), from the NLL only. */
  priorScore?: number;
  /** When asked for (ScoreFolderParams.thumbnailSize): the shown slice and its residual map, small (models/worker/thumbnail.ts). */
  thumbnail?: Thumbnail;
  /** What makes the scan unlike the model's training data (ScanScore.warnings); absent: nothing. */
  warnings?: string[];
  /** A 4D NIfTI: the volume scored and how many the file holds (ScanScore.volume); absent: not 4D. */
  volume?: VolumeOfFile;
  /** Where the score lies among the model's normal validation scans of its kind (ScanScore.normalRank). */
  normalRank?: NormalRank;
}

/**
 * A scan in small, for the gallery: the normalized image of one slice (a 2D image's only one, a volume's
 * most anomalous, with rows flipped as the viewer shows volumes) and its residual map, same dims, depth 1.
 */
export interface Thumbnail {
  image: Grid;
  map: Grid;
  /** The slice shown (0 for 2D images). */
  slice: number;
}

export interface ScoreFolderResult {
  /** Volumes first, then images and single slices, each by score, most anomalous first (scoring/ranking.ts). */
  scores: FileScore[];
  /** Files that could not be scored, with the reason. */
  skipped: { file: string; reason: string }[];
}

export interface CountProgress {
  done: number;
  total: number;
  file?: string;
}

export interface ReadScanParams {
  file: string;
  /** 4D NIfTI: the volume to read (default 0); out of range is a bad-input error naming the count. */
  volumeIndex?: number;
}

/** A scan as decoded from its file (raw intensities), for the viewer; no model needed. */
export interface ReadScanResult {
  image: Grid;
  /** Voxel sizes in mm (1 where the file has none, as for PNG/JPEG). */
  spacing: [number, number, number];
  /** How many volumes the file holds (a 4D NIfTI more than 1; every other scan 1). */
  volumeCount: number;
  /** NIfTI only: the voxel-to-world matrix (mm) of this grid (the file's sform or qform, in the canonical grid). */
  affine?: number[][];
  /** The file is a mask by the project's conventions (io/maskConventions.ts: isMaskFile): to show as labels, never to score. */
  isMask: boolean;
  /** For a scan, the path of its mask by those conventions (io/maskConventions.ts: findMask), when there is one. */
  mask?: string;
}

/** What an evaluation may be limited to (the CLI's `evaluate` flags; models/evaluate/evaluateModel.ts has the defaults). */
export interface EvaluationOptions {
  /** Evaluate only this many scans, evenly spaced over the test set (so that every group is represented). */
  limit?: number;
  /** Pixels kept for the pixel metrics (all anomalous pixels are always kept). */
  maxPixels?: number;
  /** A volume slice is an anomalous sample from this many lesion pixels. */
  minLesionArea?: number;
  /** The FPR up to which AUPRO integrates. */
  maxFpr?: number;
}

/** Evaluates the model on a labelled test set (methods.md §8) and writes the report folder `outDir` atomically. */
export interface EvaluateParams {
  modelDir: string;
  /** A folder whose masks are found by naming convention, or a CSV with the columns image, mask, label, defect_type. */
  target: string;
  /** The report folder to write (replaced as a whole; the extension checks that it is inside the workspace). */
  outDir: string;
  options?: EvaluationOptions;
  scoring?: ScoringParameters;
}

export interface EvaluateResult {
  outDir: string;
  /** The files written into outDir: report.json, report.md, the SVG plots, the example overlay PNGs. */
  files: string[];
  /** report.json without the curves. */
  summary: EvaluationSummary;
}

/** Every method of the worker: its parameters, its progress events and its result. */
export interface WorkerMethods {
  /**
   * `modulePaths`: node_modules folders where backend packages are also looked for (the native backends the extension installed);
   * `wasmThreads`: the wasm backend's threads (0 or none = every core).
   */
  init: { params: { backend: BackendPreference; modulePaths?: string[]; wasmThreads?: number }; progress: never; result: BackendInfo };
  readScan: { params: ReadScanParams; progress: never; result: ReadScanResult };
  train: { params: TrainParams; progress: TrainProgress; result: TrainResult };
  trainPrior: { params: TrainPriorParams; progress: TrainProgress; result: TrainPriorResult };
  scoreScan: { params: ScoreScanParams; progress: CountProgress; result: ScanScore };
  scoreFolder: { params: ScoreFolderParams; progress: CountProgress; result: ScoreFolderResult };
  exportMaps: { params: ExportMapsParams; progress: CountProgress; result: ExportMapsResult };
  evaluate: { params: EvaluateParams; progress: CountProgress; result: EvaluateResult };
}
export type MethodName = keyof WorkerMethods;

export type WorkerRequest =
  { [M in MethodName]: { type: 'request'; id: number; method: M; params: WorkerMethods[M]['params'] } }[MethodName] | { type: 'cancel'; id: number };

export type ErrorCode = 'cancelled' | 'bad-input' | 'internal';

export type WorkerEvent =
  | { type: 'progress'; id: number; progress: WorkerMethods[MethodName]['progress'] }
  | { type: 'result'; id: number; result: WorkerMethods[MethodName]['result'] }
  | { type: 'error'; id: number; code: ErrorCode; message: string }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string };
