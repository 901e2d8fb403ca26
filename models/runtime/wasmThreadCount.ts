// How many threads the wasm backend computes on (./wasmThreads.ts starts it): the request, or every core.
// Free of tfjs, so that the extension host and its tests can use it.

/** The most threads the build uses: its C++ side caps its thread pool at 8. */
export const MAX_WASM_THREADS = 8;

/** The thread count for a request: 0 (or none) means every core; never below 1 nor above MAX_WASM_THREADS. */
export function wasmThreadCount(requested: number | undefined, cores: number): number {
  const wanted = requested !== undefined && requested > 0 ? Math.floor(requested) : cores;
  return Math.max(1, Math.min(MAX_WASM_THREADS, wanted));
}
