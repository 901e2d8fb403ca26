// Short trainings on mostly dark images (brain slices, parts on a black background) learn to output the
// background: on the sample workspace (72 brain slices) 10 epochs of batch 16, 50 optimizer steps, gave a
// model whose reconstruction is the mean intensity, while 40 epochs of batch 8 (early stopping after
// 25-30 epochs, about 250 steps) reconstruct the anatomy. Below this many steps the worker says so.
export const FEW_TRAINING_STEPS = 200;

/** Optimizer steps of a training: epochs x ceil(images / batch size). */
export function trainingSteps(epochs: number, images: number, batchSize: number): number {
  return epochs * Math.ceil(images / batchSize);
}

/** A warning for trainings of fewer than FEW_TRAINING_STEPS steps, else undefined. */
export function fewStepsWarning(epochs: number, images: number, batchSize: number): string | undefined {
  const steps = trainingSteps(epochs, images, batchSize);
  if (steps >= FEW_TRAINING_STEPS) return undefined;
  return (
    `Only ${steps} optimizer steps (${epochs} epochs x ${Math.ceil(images / batchSize)} batches of ${batchSize}): ` +
    `short trainings on mostly dark images often learn only the background. For ${FEW_TRAINING_STEPS} steps or more, ` +
    `train ${Math.ceil(FEW_TRAINING_STEPS / Math.ceil(images / batchSize))} epochs or use a smaller batch size.`
  );
}
