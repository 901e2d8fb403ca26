// The modality of a scan, as far as post-processing needs it, and the post-processing defaults for it
// (methods.md §10). The modality comes from the model's manifest when training recorded one, else from
// the scan's file name (FLAIR, T2, T1 as the brain-MRI archives name their files), else from its shape.
import type { PostProcessing } from './postProcessing';

/** flair / t2: lesions hyperintense; t1: hypointense; volume: another 3D modality; image: a 2D photograph or slice. */
export type Modality = 'flair' | 't2' | 't1' | 'volume' | 'image';
export const MODALITIES: readonly Modality[] = ['flair', 't2', 't1', 'volume', 'image'];

/** The modality to post-process a scan with: the one the scoring settings force, else the file's (modalityOf). */
export function scanModality(scoring: { modality?: Modality } | undefined, file: string, volume: { dims: [number, number, number] }): Modality {
  return scoring?.modality ?? modalityOf(file, volume.dims[2]);
}

/** The modality a file name says (case-insensitive FLAIR, T2, T1/MPRAGE), else by the scan's depth. */
export function modalityOf(fileName: string, depth: number): Modality {
  const name = fileName.replace(/\\/g, '/').split('/').pop() ?? '';
  if (/flair/i.test(name)) return 'flair';
  if (/(^|[^a-z0-9])t2([^a-z0-9]|w|$)/i.test(name)) return 't2';
  if (/(^|[^a-z0-9])t1([^a-z0-9]|w|$)|mprage/i.test(name)) return 't1';
  return depth > 1 ? 'volume' : 'image';
}

/**
 * Defaults per modality, measured on brain-ms FLAIR (docs/RESULTS.md): the brain mask eroded 3 pixels
 * and a 3D median of 5 for volumes; for hyperintense lesions (FLAIR, T2) positive residuals and the
 * hyperintensity prior at the 80th percentile (residual AP 0.31 -> 0.44 on patient 26; 90 gave 0.43
 * with a worse AUPRO).
 */
export const HYPERINTENSITY_PERCENTILE = 80;

/**
 * 2D images: a 2D median of IMAGE_MEDIAN_SIZE pixels, both polarities, no mask. Chosen on the
 * magnetic-tile tuning split (test rows the reported run does not use; docs/RESULTS.md), residual pixel
 * AUROC / AUPRO: 0.576 / 0.547 without, 0.601 / 0.595 with 3, 0.615 / 0.610 with 5, 0.623 / 0.604 with
 * 7 (5 keeps the small blowholes' AUPRO); at 5, negative polarity gave 0.562 / 0.549 and positive
 * 0.513 / 0.145 (the defects are mostly darker, but both counts more of them).
 */
export const IMAGE_MEDIAN_SIZE = 5;

export function defaultPostProcessing(modality: Modality): PostProcessing {
  const brain = { erosion: 3, medianSize: 5, hyperintensityPercentile: null };
  switch (modality) {
    case 'flair':
    case 't2':
      return { polarity: 'positive', ...brain, hyperintensityPercentile: HYPERINTENSITY_PERCENTILE };
    case 't1':
      return { polarity: 'negative', ...brain };
    case 'volume':
      return { polarity: 'both', ...brain };
    case 'image':
      return { polarity: 'both', erosion: 0, medianSize: IMAGE_MEDIAN_SIZE, hyperintensityPercentile: null };
  }
}

/** The settings a scan is post-processed with: its modality's defaults, overridden field by field. */
export function postProcessingSettings(modality: Modality, overrides: Partial<PostProcessing> = {}): PostProcessing {
  return { ...defaultPostProcessing(modality), ...overrides };
}
