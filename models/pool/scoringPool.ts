// Scores many files on several CPU cores: folder scoring forks N model workers (dist/worker.js,
// N = os.availableParallelism() by default), each on its share of the cores' wasm threads, and hands each the
// next file as soon as it is free. Every worker gets `init` and then one single-file `scoreFolder`
// request per file; files are scored exactly as runScoreFolder scores them in one process, and the
// result is in the same order. The workers end with the scoring, and at once on a cancel.

import { availableParallelism } from 'node:os';
import { dirname } from 'node:path';
import type { BackendPreference } from '../runtime/backendNames';
import { readManifest } from '../vqvae/checkpoint';
import { CancelledError } from '../worker/cancelled';
import type { CountProgress, ScoreFolderParams, ScoreFolderResult } from '../worker/protocol';
import { PoolWorker } from './poolWorker';
import { threadsPerProcess } from './processCount';
import { byKindThenScore } from '../scoring/ranking';

export interface ScoringPoolOptions {
  /** The built model worker, dist/worker.js. */
  workerScript: string;
  /** Worker processes; default os.availableParallelism(). Never more than there are files. */
  processes?: number;
  /** Default 'auto'. */
  backend?: BackendPreference;
  /** node_modules folders where the workers also look for backend packages (the worker's `init`). */
  modulePaths?: string[];
  /** The most wasm threads of one worker (0 or none = every core); each gets at most its share of the cores (threadsPerProcess). */
  wasmThreads?: number;
  /** Receives the workers' log lines. */
  log?: (line: string) => void;
}

/** How often a running scoring checks isCancelled between the files' completions. */
const CANCEL_POLL_MS = 50;

/** What each file is scored with besides the model: as the fields of a scoreFolder request. */
export type FileScoring = Pick<ScoreFolderParams, 'scoring' | 'thumbnailSize'>;

export class ScoringPool {
  private workers: PoolWorker[] = [];

  constructor(private readonly options: ScoringPoolOptions) {}

  /** The process ids of the running scoring's workers; empty when none runs. */
  processIds(): number[] {
    return this.workers.flatMap((worker) => (worker.pid === undefined ? [] : [worker.pid]));
  }

  /**
   * Scores `files` with the model of `modelDir`: their scores ranked as runScoreFolder ranks them (ties in the
   * order of `files`), and the files that could not be read with the reason, in the order of `files`
   * (as runScoreFolder). `onProgress` follows each finished file.
   * When `isCancelled` turns true the workers are killed and the promise rejects with a CancelledError.
   * A `modelDir` that holds no model rejects with a BadInputError before any worker starts.
   */
  async scoreFiles(
    modelDir: string,
    files: string[],
    onProgress: (progress: CountProgress) => void = () => {},
    isCancelled: () => boolean = () => false,
    fileScoring: FileScoring = {},
  ): Promise<ScoreFolderResult> {
    const result: ScoreFolderResult = { scores: [], skipped: [] };
    // As runScoreFolder: a folder that is no model fails the whole call (not every file, one by one).
    await readManifest(modelDir);
    if (files.length === 0) return result;
    const count = Math.max(1, Math.min(this.options.processes ?? availableParallelism(), files.length));
    const log = this.options.log ?? (() => {});
    const workers = Array.from({ length: count }, () => new PoolWorker(this.options.workerScript, log));
    const init = {
      backend: this.options.backend ?? 'auto',
      modulePaths: this.options.modulePaths,
      wasmThreads: threadsPerProcess(count, this.options.wasmThreads, availableParallelism()),
    };
    this.workers = workers;
    let next = 0;
    let done = 0;

    /** One worker's loop: take the next file until none is left. */
    const drain = async (worker: PoolWorker): Promise<void> => {
      await worker.request('init', init);
      while (next < files.length) {
        const file = files[next++];
        // processes: 1, so that the worker scores the file itself rather than starting a pool of its own.
        const scored = await worker.request('scoreFolder', { modelDir, folder: dirname(file), files: [file], processes: 1, ...fileScoring });
        result.scores.push(...scored.scores);
        result.skipped.push(...scored.skipped);
        onProgress({ done: ++done, total: files.length, file });
      }
    };

    let poll: NodeJS.Timeout | undefined;
    const cancelled = new Promise<never>((_, reject) => {
      poll = setInterval(() => {
        if (isCancelled()) reject(new CancelledError(`Scoring cancelled after ${done} of ${files.length} files`));
      }, CANCEL_POLL_MS);
    });
    const finished = Promise.all(workers.map(drain));
    finished.catch(() => {}); // after a cancel, the killed workers' open requests reject: nothing more to report
    try {
      await Promise.race([finished, cancelled]);
    } finally {
      clearInterval(poll);
      await Promise.all(workers.map((worker) => worker.kill()));
      this.workers = [];
    }
    const position = new Map(files.map((file, index) => [file, index]));
    const byPosition = (a: { file: string }, b: { file: string }) => position.get(a.file)! - position.get(b.file)!;
    result.scores.sort((a, b) => byKindThenScore(a, b) || byPosition(a, b));
    result.skipped.sort(byPosition);
    return result;
  }
}
