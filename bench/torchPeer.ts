// Runs the PyTorch peer (bench/torch_vqvae.py) on the same shapes; its figures, or why there are none.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { CPU_PRIOR_ARCHITECTURE } from '../models/prior/transformerConfig';
import { SMALL_PRESET, latentSize } from '../models/vqvae/config';
import { PRIOR, VQVAE } from './settings';

export interface TorchFigures {
  torch: string;
  threads: number;
  trainStepMs: number;
  inferenceMs: number;
  priorForwardMs: number;
  peakRssMb: number;
}

/** Debian's interpreter, which has python3-torch (a pyenv or venv python3 first on PATH may not). */
const PYTHON = process.env.BENCH_PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');

/** Runs bench/torch_vqvae.py with `settings`; its JSON output, or why there is none. */
function runPeerScript<T>(settings: object): T | { missing: string } {
  const run = spawnSync(PYTHON, ['bench/torch_vqvae.py', JSON.stringify(settings)], {
    encoding: 'utf8',
    // GNU OpenMP spins while waiting by default; on 2 cores shared with Node that made a training step 15x slower.
    env: { ...process.env, OMP_WAIT_POLICY: 'PASSIVE' },
  });
  if (run.error) return { missing: `${PYTHON} could not start: ${run.error.message}` };
  if (run.status !== 0) {
    const lastLine = run.stderr.trim().split('\n').pop() ?? '';
    return { missing: `${PYTHON} bench/torch_vqvae.py failed (${lastLine}); install python3-torch and libopenblas0-pthread` };
  }
  return JSON.parse(run.stdout) as T;
}

/** The VQ-VAE and prior timings in PyTorch on `threads` intra-op threads. */
export function runTorchPeer(threads: number): TorchFigures | { missing: string } {
  return runPeerScript<TorchFigures>({ ...VQVAE, prior: PRIOR, threads });
}

/** The LSR volume pipeline of bench/lsrTiming.ts in PyTorch: `slices` slices, S restorations of `flagged` tokens each, on `threads` threads. */
export function runTorchLsrPeer(shape: { slices: number; restorations: number; flagged: number; threads: number }): { seconds: number } | { missing: string } {
  const prior = { vocabSize: SMALL_PRESET.codebookSize, sequenceLength: latentSize(SMALL_PRESET) ** 2, ...CPU_PRIOR_ARCHITECTURE };
  return runPeerScript<{ seconds: number }>({ mode: 'lsr', ...SMALL_PRESET, ...shape, prior });
}
