// Names of the tfjs backends the product can run on, in the order automatic selection tries them
// (../docs/ml-runtime.md): native CUDA, native CPU, WebGPU (Dawn), WebAssembly (+ rebuilt conv kernels), pure JS.

export const BACKEND_ORDER = ['tensorflow-gpu', 'tensorflow', 'webgpu', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_ORDER)[number];
export type BackendPreference = 'auto' | BackendName;

export interface BackendInfo {
  /** The backend in use. */
  name: BackendName;
  /** tfjs' own name for it (tfjs-node-gpu and tfjs-node both register 'tensorflow'). */
  tfjsName: string;
  /** Why each earlier candidate was not used, for the log. */
  skipped: { name: BackendName; reason: string }[];
  /** wasm: the threads it computes on (the other backends choose their own). */
  threads?: number;
}

/** Every value a user may give for the backend (setting, CLI flag). */
export const BACKEND_PREFERENCES: readonly BackendPreference[] = ['auto', ...BACKEND_ORDER];

export function isBackendPreference(value: unknown): value is BackendPreference {
  return typeof value === 'string' && (BACKEND_PREFERENCES as readonly string[]).includes(value);
}
