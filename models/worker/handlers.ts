// The worker's methods, one function each, over the shared jobs of ./jobs.ts. The backend is chosen
// by `init`; a job that arrives before any `init` chooses it automatically ('auto'), so that a client
// that skips `init` still works, and says so in the log.

import { readdir } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { findMask, isMaskFile } from '../io/maskConventions';
import { readScan } from '../io/volume';
import { scoreFolderOnCores } from '../pool/scoreFolderOnCores';
import { selectBackend } from '../runtime/backend';
import type { BackendInfo } from '../runtime/backendNames';
import { CancelledError } from './cancelled';
import { runEvaluate } from './evaluateJob';
import { runExportMaps } from './exportMaps';
import { type JobControl, runScoreScan, runTrain } from './jobs';
import { ModelCache } from './modelCache';
import { runTrainPrior } from './priorJobs';
import type { MethodName, WorkerMethods } from './protocol';

export type Handler<M extends MethodName> = (
  params: WorkerMethods[M]['params'],
  control: JobControl<WorkerMethods[M]['progress']>,
) => Promise<WorkerMethods[M]['result']>;

const models = new ModelCache();
let backend: BackendInfo | undefined;
/** The node_modules folders and wasm threads of the last `init`, for the processes of a folder scoring's pool. */
let modulePaths: string[] | undefined;
let wasmThreads: number | undefined;

async function init(params: WorkerMethods['init']['params'], control: JobControl<never>): Promise<BackendInfo> {
  // Logs the choice and the reasons.
  const selected = await selectBackend(params.backend, control.log, { extraModulePaths: params.modulePaths, wasmThreads: params.wasmThreads });
  backend = selected;
  modulePaths = params.modulePaths;
  wasmThreads = params.wasmThreads;
  return selected;
}

async function backendFor(control: JobControl<unknown>): Promise<BackendInfo> {
  if (backend) return backend;
  control.log('No init request before the first job: choosing the backend automatically');
  return init({ backend: 'auto' }, control);
}

export const handlers: { [M in MethodName]: Handler<M> } = {
  init,

  /** The raw scan for the viewer, in its stored grid, and whether it is a mask or has one by the conventions; needs no backend. */
  async readScan(params, control) {
    const volume = await readScan(params.file, control.log, { volumeIndex: params.volumeIndex });
    const { dims, data, spacing, affine } = volume;
    const siblings = new Set(await readdir(dirname(params.file)).catch(() => [basename(params.file)]));
    const isMask = isMaskFile(params.file, siblings);
    const mask = isMask ? undefined : findMask(params.file);
    return { image: { dims, data }, spacing, volumeCount: volume.source?.volumeCount ?? 1, affine, isMask, mask };
  },

  async train(params, control) {
    const result = await runTrain(params, (await backendFor(control)).name, control);
    if (result.cancelled) {
      const kept = result.epochsCompleted > 0 ? `${params.modelDir} keeps epoch ${result.epochsCompleted}` : 'no epoch was completed';
      throw new CancelledError(`Training cancelled: ${kept}`);
    }
    return result;
  },

  async trainPrior(params, control) {
    const result = await runTrainPrior(params, (await backendFor(control)).name, control);
    if (result.cancelled) {
      const kept = result.epochsCompleted > 0 ? `${params.modelDir}/prior keeps epoch ${result.epochsCompleted} (not calibrated)` : 'no epoch was completed';
      throw new CancelledError(`Prior training cancelled: ${kept}`);
    }
    return result;
  },

  async scoreScan(params, control) {
    await backendFor(control);
    return runScoreScan(params, models, control);
  },

  async scoreFolder(params, control) {
    const { name } = await backendFor(control);
    // A pool's processes run this very script (dist/worker.js) on the backend this worker chose.
    return scoreFolderOnCores(params, models, control, { workerScript: __filename, backend: name, modulePaths, wasmThreads });
  },

  async exportMaps(params, control) {
    await backendFor(control);
    return runExportMaps(params, models, control);
  },

  async evaluate(params, control) {
    return runEvaluate(params, (await backendFor(control)).name, control);
  },
};
