// The full LSR pipeline on a whole volume (methods.md §6): the VQ-VAE maps, the prior's NLL of every
// token, S restorations of the flagged tokens per slice (KV-cached sampling, decoded in one batch) and
// the 3D-smoothed restoration map; no KDE (that is ILTM's map). The weights are untrained, so lambda_p is
// set the way calibration sets it: the 90th percentile of the NLL, here over the volume's own tokens,
// which flags 10 % of them, as on normal data.
import * as tf from '@tensorflow/tfjs-core';
import { axialSlice } from '../models/io/slice';
import { hasForeground } from '../models/io/dataset';
import { normalizeVolume } from '../models/io/normalize';
import { resizeBilinear } from '../models/io/resize';
import { readScan, type Volume } from '../models/io/volume';
import { calibrateLambda } from '../models/prior/nll';
import { sequenceNll } from '../models/prior/sequenceNll';
import { PriorTransformer } from '../models/prior/transformer';
import { CPU_PRIOR_ARCHITECTURE, priorConfigFor } from '../models/prior/transformerConfig';
import { scoreVolume } from '../models/scoring/scoreScan';
import { LAMBDA_P_PERCENTILE } from '../models/worker/priorJobs';
import { latentSize, type VqVaeConfig } from '../models/vqvae/config';
import { VqVae } from '../models/vqvae/model';
import type { PeakRss } from './timing';

export interface LsrVolumeTiming {
  seconds: number;
  slices: number;
  /** Tokens resampled per slice (mean), and lambda_p. */
  flaggedPerSlice: number;
  lambdaP: number;
}

/** The token grids of the volume's slices with foreground, as the scoring sees them. */
function volumeTokens(model: VqVae, normalized: Volume): Int32Array[] {
  const [width, height, depth] = normalized.dims;
  const size = model.config.inputSize;
  const images = Array.from({ length: depth }, (_, z) => axialSlice(normalized, z)).filter((image) => hasForeground(image));
  return images.map((image) =>
    tf.tidy(() => {
      const x = tf.tensor4d(resizeBilinear(image, width, height, size, size), [1, size, size, 1]);
      return model.forward(x, { training: false }).indices.dataSync() as Int32Array;
    }),
  );
}

/** Seconds to score `file` with the LSR pipeline: a model of `config`, the CPU-sized causal prior, S restorations. */
export async function lsrVolumeScoring(config: VqVaeConfig, file: string, restorations: number, memory: PeakRss): Promise<LsrVolumeTiming> {
  const model = VqVae.create(config, 1);
  const prior = PriorTransformer.create(priorConfigFor({ vocabSize: config.codebookSize, latentSize: latentSize(config) }, CPU_PRIOR_ARCHITECTURE), 1);
  try {
    const volume = await readScan(file);
    const tokens = volumeTokens(model, { ...volume, data: normalizeVolume(volume) });
    const nlls = await sequenceNll(prior, tokens);
    const all = Float32Array.from(nlls.flatMap((nll) => Array.from(nll)));
    const lambdaP = calibrateLambda(all, LAMBDA_P_PERCENTILE);
    const flagged = all.filter((v) => v > lambdaP).length / tokens.length;

    const start = performance.now();
    let slices = 0;
    await scoreVolume(model, volume, {
      prior: { prior },
      priorMaps: { lambdaP, restorationSamples: restorations, kdeSamplings: 0 },
      onProgress: (p) => ((slices = p.total), memory.sample()),
    });
    return { seconds: (performance.now() - start) / 1000, slices, flaggedPerSlice: flagged, lambdaP };
  } finally {
    prior.dispose();
    model.dispose();
  }
}
