// The worker's folder scoring: every scan of a folder scored in this process (runScoreFolder), or over
// a pool of worker processes (ScoringPool) when the request asks for more than one process and there
// are files enough (poolProcessCount). Both give the same scores in the same order.

import { availableParallelism } from 'node:os';
import { listScanFiles } from '../io/dataset';
import type { BackendName } from '../runtime/backendNames';
import { type JobControl, runScoreFolder } from '../worker/jobs';
import type { ModelCache } from '../worker/modelCache';
import type { CountProgress, ScoreFolderParams, ScoreFolderResult } from '../worker/protocol';
import { poolProcessCount, threadsPerProcess } from './processCount';
import { ScoringPool } from './scoringPool';

/** Where the pool's processes come from: the worker script and the backend (its module folders, its wasm threads) this worker uses. */
export interface PoolSource {
  workerScript: string;
  backend: BackendName;
  modulePaths?: string[];
  wasmThreads?: number;
}

export async function scoreFolderOnCores(
  params: ScoreFolderParams,
  models: ModelCache,
  control: JobControl<CountProgress>,
  source: PoolSource,
): Promise<ScoreFolderResult> {
  const listed = params.files ? { files: params.files, skipped: [] } : listScanFiles(params.folder);
  const processes = poolProcessCount(params.processes ?? 1, { cores: availableParallelism(), backend: source.backend }, listed.files.length);
  let scored: ScoreFolderResult;
  if (processes === 1) scored = await runScoreFolder({ ...params, files: listed.files }, models, control);
  else {
    const threads = source.backend === 'wasm' ? ` of ${threadsPerProcess(processes, source.wasmThreads, availableParallelism())} wasm threads each` : '';
    control.log(`Scoring ${listed.files.length} files of ${params.folder} in ${processes} worker processes${threads}`);
    const pool = new ScoringPool({ ...source, processes, log: control.log });
    const fileScoring = { scoring: params.scoring, thumbnailSize: params.thumbnailSize };
    scored = await pool.scoreFiles(params.modelDir, listed.files, control.onProgress, control.isCancelled, fileScoring);
  }
  return { scores: scored.scores, skipped: [...listed.skipped, ...scored.skipped] };
}
