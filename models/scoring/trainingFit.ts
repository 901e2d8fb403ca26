// Does a scan look like the data its model was trained on? A model only knows what normal looks like
// for the data it saw: on another modality, a scan with the skull where training was skull-stripped,
// or another kind of image, every pixel differs from the reconstruction and the maps mark the whole
// scan. Training records a profile of its data in the manifest; scoring compares each scan with it
// and with the model's validation error (modelHealth.ts) and says so in words, before a reviewer
// trusts the maps.
import { foregroundCount } from '../io/dataset';
import { selectPercentile } from '../io/normalize';
import { meanAbsoluteError, type ModelHealth } from '../vqvae/modelHealth';
import type { VqVaeConfig } from '../vqvae/config';
import { modalityOf, type Modality } from './modality';

/** What the training data looked like at the model's input size. */
export interface DataProfile {
  /** The modality most training files have (modality.ts modalityOf). */
  modality: Modality;
  /** The 5th and 95th percentile over the training slices of their foreground fraction (normalized intensity above FOREGROUND_THRESHOLD). */
  foregroundFraction: [number, number];
}

/** The same figures for one scan: its modality, its slice size, its slices' median foreground fraction, and the model's mean L1 error on its slices. */
export interface ScanFit {
  modality: Modality;
  /** Width and height of its slices in pixels. */
  size: [number, number];
  foregroundFraction: number;
  reconstructionL1: number;
}

/** A scan reconstructs this many times worse than the model's validation images: it is not like the training data. */
export const MAX_L1_RATIO_TO_VALIDATION = 2;
/** How far (in foreground fraction) a scan's median slice may lie outside the training slices' 5-95 % range. */
export const FOREGROUND_MARGIN = 0.1;

/** The fraction of an image's pixels above FOREGROUND_THRESHOLD. */
export function foregroundFraction(image: Float32Array): number {
  return image.length > 0 ? foregroundCount(image) / image.length : 0;
}

/** The profile of a training set: its files (2D images by their extension) and its slices at the model's input size. */
export function dataProfile(files: string[], slices: Float32Array[]): DataProfile {
  const counts = new Map<Modality, number>();
  for (const file of files) {
    const modality = modalityOf(file, /\.nii(\.gz)?$/i.test(file) ? 2 : 1);
    counts.set(modality, (counts.get(modality) ?? 0) + 1);
  }
  const modality = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'image';
  const fractions = Float32Array.from(slices, foregroundFraction);
  return { modality, foregroundFraction: [selectPercentile(Float32Array.from(fractions), 5), selectPercentile(fractions, 95)] };
}

/** One slice's figures at the model's input size: its mean L1 reconstruction error and its foreground fraction. */
export interface SliceFit {
  l1: number;
  foregroundFraction: number;
}

export function sliceFit(input: Float32Array, reconstruction: Float32Array): SliceFit {
  // The mean |x - x̂| that the model's health measures on its validation images, which fitWarnings compares with.
  return { l1: meanAbsoluteError([input], reconstruction), foregroundFraction: foregroundFraction(input) };
}

/** The scan's figures from its slices': the mean L1 and the median foreground fraction. */
export function scanFit(modality: Modality, size: [number, number], slices: SliceFit[]): ScanFit {
  if (slices.length === 0) return { modality, size, foregroundFraction: 0, reconstructionL1: 0 };
  const l1 = slices.reduce((sum, slice) => sum + slice.l1, 0) / slices.length;
  return {
    modality,
    size,
    foregroundFraction: selectPercentile(
      Float32Array.from(slices, (s) => s.foregroundFraction),
      50,
    ),
    reconstructionL1: l1,
  };
}

const MRI: readonly Modality[] = ['flair', 't2', 't1'];

/** A slice enlarged more than this many times to the model's input has no detail left for the maps to show. */
export const MAX_ENLARGEMENT = 4;
/** A slice whose long side is more than this many times its short side is mostly padding (or stretched) at the model's square input. */
export const MAX_ASPECT_RATIO = 4;

/** What the slice size does to the maps at the model's square input (io/modelGrid.ts): too small, or too elongated; empty when neither. */
export function shapeWarnings([width, height]: [number, number], config: Pick<VqVaeConfig, 'inputSize' | 'aspect'>): string[] {
  const size = config.inputSize;
  const [long, short] = [Math.max(width, height), Math.min(width, height)];
  const warnings: string[] = [];
  if (long * MAX_ENLARGEMENT < size) {
    warnings.push(`it is ${width}x${height} pixels, enlarged ${(size / long).toFixed(0)}x to the model's ${size}x${size} input: its maps cannot show detail`);
  }
  if (long > MAX_ASPECT_RATIO * short) {
    const ratio = (long / short).toFixed(0);
    warnings.push(
      (config.aspect ?? 'stretch') === 'pad'
        ? `its ${width}x${height} pixels (${ratio}:1) are padded to the model's square input, where its short side spans ${((short / long) * size).toFixed(1)} of ${size} pixels`
        : `its ${width}x${height} pixels (${ratio}:1) are stretched ${ratio}x along one side to the model's square input`,
    );
  }
  return warnings;
}

/** What makes the scan unlike the model's training data, in words; empty when nothing does (or the model records neither profile nor health). */
export function fitWarnings(
  model: { config: Pick<VqVaeConfig, 'inputSize' | 'aspect'>; data: { profile?: DataProfile }; health?: ModelHealth },
  fit: ScanFit,
): string[] {
  const warnings = shapeWarnings(fit.size, model.config);
  const profile = model.data.profile;
  // A model trained on 2D slices may score the volumes they came from: only the MRI contrast is compared.
  if (profile && MRI.includes(profile.modality) && MRI.includes(fit.modality) && profile.modality !== fit.modality) {
    warnings.push(`the model was trained on ${profile.modality.toUpperCase()} scans, this one is ${fit.modality.toUpperCase()} by its file name`);
  }
  if (profile) {
    const [low, high] = profile.foregroundFraction;
    const percent = (value: number) => `${Math.round(100 * value)} %`;
    if (fit.foregroundFraction > high + FOREGROUND_MARGIN || fit.foregroundFraction < low - FOREGROUND_MARGIN) {
      warnings.push(
        `its foreground covers ${percent(fit.foregroundFraction)} of a slice, against ${percent(low)}-${percent(high)} in the training data ` +
          '(a skull or background the training scans did not have, or another field of view)',
      );
    }
  }
  const validationL1 = model.health?.reconstructionL1;
  if (validationL1 && fit.reconstructionL1 > MAX_L1_RATIO_TO_VALIDATION * validationL1) {
    warnings.push(
      `the model reconstructs it ${(fit.reconstructionL1 / validationL1).toFixed(1)}x worse than its ${model.health!.checkedOn} images ` +
        `(L1 ${fit.reconstructionL1.toFixed(4)} vs ${validationL1.toFixed(4)})`,
    );
  }
  return warnings;
}

/** The line that tells a scan's warnings: `<name> does not look like the training data: <warning>; <warning>`. */
export function unlikeTrainingText(name: string, warnings: string[]): string {
  return `${name} does not look like the training data: ${warnings.join('; ')}`;
}
