// How many worker processes a folder scoring uses: what the caller asked for (0 = one per core), never
// more than the files can keep busy, and one (in-process) where more would not help; and how many wasm
// threads each of them computes on, so that processes x threads never exceeds the cores.

import type { BackendName } from '../runtime/backendNames';
import { wasmThreadCount } from '../runtime/wasmThreadCount';

/** Files each process should get at least, so that its start (tfjs and the model, about a second) pays off. */
export const MIN_FILES_PER_PROCESS = 2;

/** Backends that compute on one core per process (docs/ml-runtime.md); the others use the machine's threads or its GPU themselves. */
const SINGLE_CORE_BACKENDS: ReadonlySet<BackendName> = new Set(['wasm', 'cpu']);

/**
 * The process count for `files` files when `requested` are asked for: 0 means one per core on a
 * single-core backend and 1 on the others; any count is capped at floor(files / MIN_FILES_PER_PROCESS),
 * and is at least 1.
 */
export function poolProcessCount(requested: number, machine: { cores: number; backend: BackendName }, files: number): number {
  const wanted = requested > 0 ? requested : SINGLE_CORE_BACKENDS.has(machine.backend) ? machine.cores : 1;
  return Math.max(1, Math.min(Math.floor(wanted), Math.floor(files / MIN_FILES_PER_PROCESS)));
}

/**
 * The wasm threads of each of `processes` pool processes: the cores shared out, floor(cores / processes),
 * but no more than the `requested` threads of one worker (0 or none = every core); at least 1.
 */
export function threadsPerProcess(processes: number, requested: number | undefined, cores: number): number {
  return Math.max(1, Math.min(wasmThreadCount(requested, cores), Math.floor(cores / Math.max(1, processes))));
}
