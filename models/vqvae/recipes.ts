// Recommended recipes: a model size, a training and an intensity normalization that are measured to
// give useful maps on a kind of data (docs/RESULTS.md, `npm run bench:quality`), for a 2-core CPU.
// A recipe is what a preset is plus how to train it; the post-processing follows the scans' modality
// (scoring/modality.ts).
import type { Normalization } from '../io/normalize';
import { AUGMENT_OFF, SMALL_PRESET, type TrainingConfig, type VqVaeConfig } from './config';

export interface Recipe {
  description: string;
  model: VqVaeConfig;
  training: TrainingConfig;
  normalization: Normalization;
}

/** What keeps the codebook in use and the first steps stable, in every recipe. */
const STABLE_START = { warmupSteps: 50, codebookInitSteps: 20, restartDeadCodes: true, lrSchedule: 'cosine' } as const;

export const RECIPES = {
  'flair-brain': {
    description: 'FLAIR (or T2) brain volumes, skull-stripped: 64x64 slices padded to a square, 16x16 tokens, 600+ optimizer steps',
    model: { ...SMALL_PRESET },
    training: {
      epochs: 40,
      batchSize: 16,
      learningRate: 1e-3,
      seed: 1,
      minSteps: 600,
      earlyStoppingPatience: 0,
      validationFraction: 0,
      augment: AUGMENT_OFF,
      ...STABLE_START,
    },
    normalization: 'percentile-unclipped',
  },
  'industrial-texture': {
    description: 'photographs of parts or surfaces (PNG/JPEG): 64x64 images padded to a square, 16x16 tokens, 600+ optimizer steps',
    model: { ...SMALL_PRESET },
    training: {
      epochs: 20,
      batchSize: 16,
      learningRate: 1e-3,
      seed: 1,
      minSteps: 600,
      earlyStoppingPatience: 0,
      validationFraction: 0.1,
      augment: AUGMENT_OFF,
      ...STABLE_START,
    },
    normalization: 'percentile',
  },
} as const satisfies Record<string, Recipe>;

export type RecipeName = keyof typeof RECIPES;
