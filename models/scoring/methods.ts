// What each anomaly map is called in the product and what it shows, in one line (methods.md §4, §6):
// the viewer's overlay choices and the commands show these.

import type { AnyMapName } from '../worker/protocol';
import type { MapKind } from './postProcessing';

export interface MethodDescription {
  label: string;
  explanation: string;
  /** 'intensity': compares the scan's intensities with the reconstruction (the polarity applies); 'latent': a map of the token grid. */
  kind: MapKind;
  /** How it fared against the baselines without a model in the quality benchmark (docs/RESULTS.md), when it lost to one. */
  measured?: string;
}

/** The one-line explanation and, when the map lost to a baseline in the quality benchmark, that too: the overlay's tooltip. */
export function methodTooltip(name: AnyMapName): string {
  const { explanation, measured } = METHODS[name];
  return measured ? `${explanation} Measured (docs/RESULTS.md): ${measured}` : explanation;
}

const LOSES_ON_FLAIR = "on FLAIR brains (brain-ms) it loses to the image's own intensity used as the map";
const LOSES_POSTPROCESSED = 'on FLAIR brains (brain-ms) it beats the raw intensity but loses to the intensity with the same post-processing';

export const METHODS: Record<AnyMapName, MethodDescription> = {
  residual: {
    measured: LOSES_POSTPROCESSED,
    kind: 'intensity',
    label: 'Residual',
    explanation:
      "Difference between the scan and its VQ-VAE reconstruction, at the scan's resolution: where the model could not reproduce the image (after post-processing only where the scan is brighter, for FLAIR and T2).",
  },
  alignment: {
    measured: LOSES_ON_FLAIR,
    kind: 'latent',
    label: 'Alignment map',
    explanation: 'Distance of each latent vector to its nearest codebook vector (Gangloff et al.): image regions the codebook has not learned.',
  },
  reconstruction: {
    kind: 'intensity',
    label: 'Reconstruction',
    explanation: 'The VQ-VAE reconstruction of the scan: what the model expects a normal image to look like.',
  },
  ssim: {
    measured: LOSES_ON_FLAIR,
    kind: 'intensity',
    label: 'SSIM',
    explanation: '1 - structural similarity between the scan and its reconstruction in a small window: local changes of brightness, contrast and structure.',
  },
  ssimAlignment: {
    measured: LOSES_ON_FLAIR,
    kind: 'intensity',
    label: 'SSIM + AM',
    explanation: 'The alignment map, upsampled and dilated, times 1 - SSIM (Gangloff et al.): structural errors where the encoding is also unusual.',
  },
  nll: {
    measured: LOSES_ON_FLAIR,
    kind: 'latent',
    label: 'Prior NLL',
    explanation: 'Negative log-likelihood of each latent token under the transformer prior, upsampled: codes the prior did not expect in that context.',
  },
  restoration: {
    measured: LOSES_POSTPROCESSED,
    kind: 'intensity',
    label: 'LSR restoration',
    explanation:
      'Latent-space restoration (LSR): the unlikely tokens are resampled from the prior and decoded; weighted difference between the scan and these healthy-looking restorations, smoothed.',
  },
  kde: {
    measured: LOSES_POSTPROCESSED,
    kind: 'intensity',
    label: 'KDE (ILTM)',
    explanation:
      'Unlikely tokens resampled many times and decoded with dropout; -log of the kernel density of the original intensity among these restorations (ILTM).',
  },
};
