// The shapes every benchmark runs on, shared with the PyTorch peer (bench/torch_vqvae.py gets them as JSON).
import { SMALL_PRESET } from '../models/vqvae/config';
import { PRESETS } from '../models/vqvae/presets';

/** The default model (cpu-small) on a training batch of 16 64x64 images. */
export const VQVAE = { ...SMALL_PRESET, batch: 16, runs: 5 };

/** The transformer prior measured: d 128, 4 layers, batch 8 of 256 tokens (a 16x16 latent grid). */
export const PRIOR = { vocabSize: SMALL_PRESET.codebookSize, dModel: 128, layers: 4, heads: 8, feedForward: 512, batch: 8, sequenceLength: 256, runs: 5 };

/** SSIM + AM scoring of 128x128 images needs a model with a 128 input: the cpu-medium preset. */
export const SCORING_MODEL = PRESETS['cpu-medium'].config;
export const SCORING_IMAGES = 32;

/** Restorations S per slice of the LSR volume bench (Pinaya et al.'s S = 15). */
export const LSR_RESTORATIONS = 15;

/** Inferences of the leak check. */
export const LEAK_CHECK_INFERENCES = 500;

/** Images scored by the process pool, 1 process against N (enough that the workers' start-up is not all). */
export const POOL_IMAGES = 96;

/**
 * The targets of issue 13, on this 2-core machine: within 2x of PyTorch at matched threads, the LSR volume
 * (S = 15) under 40 s, SSIM + AM at 20 img/s in one process, and a training step 1.7x faster on 2 threads than on 1.
 */
export const TARGETS = { maxRatioToTorch: 2, lsrVolumeSeconds: 40, ssimAmImagesPerSecond: 20, trainThreadScaling: 1.7 };
