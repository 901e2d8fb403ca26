// The seeded split of training images into a training and a validation part, for callers of
// trainVqVae that pass plain slices. It is by image (a slice of a volume counts as one image); the
// training job splits by file instead, with the dataset loader (io/dataset.ts), which draws the same way.
import { validationSplit } from '../io/dataset';

export interface Split {
  /** Indices of the training images, ascending. */
  train: number[];
  /** Indices of the validation images, ascending; empty when the fraction is 0 or there are fewer than 2 images. */
  validation: number[];
}

/** round(fraction * count) images (at least 1 when fraction > 0 and count >= 2) chosen by the seed for validation. */
export function splitTrainValidation(count: number, fraction: number, seed: number): Split {
  const all = Array.from({ length: count }, (_, i) => i);
  const held = new Set(validationSplit(all.map(String), fraction, seed).map(Number));
  return { train: all.filter((i) => !held.has(i)), validation: all.filter((i) => held.has(i)) };
}
