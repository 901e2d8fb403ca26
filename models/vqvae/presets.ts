// Named model sizes (methods.md §1): small ones that train in minutes on a 2-core CPU, and the sizes of
// the papers for GPUs. A preset is a complete VqVaeConfig; single settings can still override it.
import { SMALL_PRESET, type VqVaeConfig } from './config';

export interface Preset {
  /** One line for the CLI usage text and the VS Code setting's description. */
  description: string;
  config: VqVaeConfig;
}

export const PRESETS = {
  'cpu-small': {
    description: '64x64 input, 16x16 tokens, 128 x 64 codebook: a few minutes on a 2-core CPU (the default)',
    config: SMALL_PRESET,
  },
  'cpu-fine': {
    description: '128x128 input, 32x32 tokens (a token covers 4x4 pixels, for small lesions and defects), 128 x 64 codebook: about 4x the time of cpu-small',
    config: { ...SMALL_PRESET, inputSize: 128 },
  },
  'cpu-medium': {
    description: '128x128 input, 16x16 tokens, 256 x 64 codebook: tens of minutes on a CPU',
    config: { ...SMALL_PRESET, inputSize: 128, channels: [32, 64, 128], codebookSize: 256 },
  },
  'lsr-paper': {
    description: 'LSR (Pinaya et al.): 160x160 slices, 20x20 tokens, 128 x 256 codebook, dropout 0.1 (GPU)',
    config: { inputSize: 160, channels: [128, 256, 256], residualBlocks: 2, codebookSize: 128, codebookDim: 256, beta: 0.25, dropout: 0.1, aspect: 'pad' },
  },
  'lsgs-paper': {
    description: 'LSGS: 128x128 input, 16x16 tokens, 1024 x 512 codebook, beta 1 (GPU)',
    config: { inputSize: 128, channels: [128, 256, 512], residualBlocks: 2, codebookSize: 1024, codebookDim: 512, beta: 1, dropout: 0, aspect: 'pad' },
  },
  'gangloff-paper': {
    description: 'Gangloff et al. (SSIM + alignment map): 256x256 input, 32x32 tokens, 512 x 256 codebook, continuous-Bernoulli loss (GPU)',
    config: {
      inputSize: 256,
      channels: [64, 128, 256],
      residualBlocks: 2,
      codebookSize: 512,
      codebookDim: 256,
      beta: 0.25,
      dropout: 0,
      reconstructionLoss: 'continuous-bernoulli',
      aspect: 'pad',
    },
  },
} as const satisfies Record<string, Preset>;

export type PresetName = keyof typeof PRESETS;

export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];

export function isPresetName(name: string): name is PresetName {
  return Object.hasOwn(PRESETS, name);
}
