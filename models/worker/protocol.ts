// The one typed protocol between the extension host and the model worker process.
// Transport: Node IPC of a forked child with `serialization: 'advanced'`, so typed arrays travel as
// binary. Every request has an id; the worker answers it with zero or more `progress` events and then
// exactly one `result` or `error`. A `cancel` asks the worker to stop the request with that id; the
// request then ends with an error whose code is 'cancelled'.

import type { BackendInfo, BackendPreference } from '../runtime/backendNames';
import type { TrainingConfig, VqVaeConfig } from '../vqvae/config';

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
}

export interface TrainProgress {
  epoch: number;
  epochs: number;
  step: number;
  stepsPerEpoch: number;
  loss: number;
  /** Set at the end of each epoch, when the checkpoint has been written. */
  checkpointed?: boolean;
}

export interface TrainResult {
  modelDir: string;
  epochsCompleted: number;
  finalLoss: number;
  images: number;
  /** True when training stopped on a cancel; the model folder holds the last completed epoch. */
  cancelled: boolean;
}

export interface ScoreScanParams {
  modelDir: string;
  file: string;
}

/** The names of the maps scoring produces (methods.md §4 for alignment, ssim and ssimAlignment; labels in scoring/methods.ts). */
export const MAP_NAMES = ['reconstruction', 'residual', 'alignment', 'ssim', 'ssimAlignment'] as const;
export type MapName = (typeof MAP_NAMES)[number];

export interface ScanScore {
  file: string;
  /** The scan's intensities after the model's normalization, in the scan's own grid. */
  image: Grid;
  /** Maps in the same grid as `image`. */
  maps: Record<MapName, Grid>;
  /** One score per slice (mean residual inside the slice), and the image score (their mean over scored slices). */
  sliceScores: number[];
  score: number;
}

export interface ScoreFolderParams {
  modelDir: string;
  folder: string;
}

export interface FileScore {
  file: string;
  score: number;
}

export interface ScoreFolderResult {
  /** Sorted by score, most anomalous first. */
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
}

/** A scan as decoded from its file (raw intensities), for the viewer; no model needed. */
export interface ReadScanResult {
  image: Grid;
  /** Voxel sizes in mm (1 where the file has none, as for PNG/JPEG). */
  spacing: [number, number, number];
}

/** Every method of the worker: its parameters, its progress events and its result. */
export interface WorkerMethods {
  init: { params: { backend: BackendPreference }; progress: never; result: BackendInfo };
  readScan: { params: ReadScanParams; progress: never; result: ReadScanResult };
  train: { params: TrainParams; progress: TrainProgress; result: TrainResult };
  scoreScan: { params: ScoreScanParams; progress: CountProgress; result: ScanScore };
  scoreFolder: { params: ScoreFolderParams; progress: CountProgress; result: ScoreFolderResult };
}
export type MethodName = keyof WorkerMethods;

export type WorkerRequest =
  | { [M in MethodName]: { type: 'request'; id: number; method: M; params: WorkerMethods[M]['params'] } }[MethodName]
  | { type: 'cancel'; id: number };

export type ErrorCode = 'cancelled' | 'bad-input' | 'internal';

export type WorkerEvent =
  | { type: 'progress'; id: number; progress: WorkerMethods[MethodName]['progress'] }
  | { type: 'result'; id: number; result: WorkerMethods[MethodName]['result'] }
  | { type: 'error'; id: number; code: ErrorCode; message: string }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string };
