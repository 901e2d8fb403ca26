// Is the trained model usable for anomaly maps? Two failures make every map meaningless and are common
// on small CPU trainings: a model that outputs (nearly) the same image whatever the input, whose
// residual is then the input itself (a black brain gave maps correlating 0.94-0.97 with the
// intensity), and a collapsed codebook. Both are measured at every saved epoch and stored in the
// manifest, where training summaries, the model details and reports read them.

/** A model reconstructs when its L1 error is at most this fraction of the best constant image's. */
export const MAX_L1_RATIO = 0.5;
/** A codebook has collapsed when fewer than this fraction of its codes (and fewer than MIN_CODES) are in use. */
export const MIN_CODE_FRACTION = 0.1;
export const MIN_CODES = 8;

export interface ModelHealth {
  /** Mean |x - x̂| of the model on the images it is checked on. */
  reconstructionL1: number;
  /** Mean |x - c| of the best constant image c (the per-pixel median of the training images) on the same images. */
  constantL1: number;
  /** Distinct codes chosen during the epoch's training steps, of codebookSize. */
  codesInUse: number;
  codebookSize: number;
  /** Which images the L1 figures come from. */
  checkedOn: 'validation' | 'training';
  /** What is wrong, in words for the user; empty when the model is healthy. */
  problems: string[];
}

/** The image c minimising sum_i |x_i - c| pixel by pixel: the per-pixel median (upper median for an even count). */
export function bestConstantImage(images: Float32Array[]): Float32Array {
  const pixels = images[0]?.length ?? 0;
  const column = new Float32Array(images.length);
  const out = new Float32Array(pixels);
  for (let p = 0; p < pixels; p++) {
    images.forEach((image, i) => (column[i] = image[p]));
    column.sort();
    out[p] = column[images.length >> 1];
  }
  return out;
}

/** Mean |x(p) - c(p)| over every pixel of every image. */
export function meanAbsoluteError(images: Float32Array[], constant: Float32Array): number {
  let sum = 0;
  for (const image of images) for (let p = 0; p < image.length; p++) sum += Math.abs(image[p] - constant[p]);
  return images.length > 0 ? sum / (images.length * constant.length) : 0;
}

/** The health record with its problems. */
export function modelHealth(figures: Omit<ModelHealth, 'problems'>): ModelHealth {
  const problems: string[] = [];
  const { reconstructionL1, constantL1, codesInUse, codebookSize } = figures;
  if (reconstructionL1 > MAX_L1_RATIO * constantL1) {
    problems.push(
      `the model barely reconstructs: its L1 error ${reconstructionL1.toFixed(4)} is ${(reconstructionL1 / constantL1).toFixed(2)} of a constant image's ` +
        `(${constantL1.toFixed(4)}; at most ${MAX_L1_RATIO} expected), so its maps mostly show the image itself: train longer (more optimizer steps)`,
    );
  }
  if (codesInUse < Math.max(MIN_CODES, MIN_CODE_FRACTION * codebookSize)) {
    problems.push(`the codebook collapsed: ${codesInUse} of ${codebookSize} codes in use: enable the data-initialised codebook and dead-code restarts`);
  }
  return { ...figures, problems };
}
