// Whether a model folder holds a finished training of the very recipe a benchmark run would train, so
// that the run can evaluate it instead of training again (--reuse-model, to compare post-processing).
import { isDeepStrictEqual } from 'node:util';
import type { Normalization } from '../../models/io/normalize';
import { manifestNormalization, type ModelManifest } from '../../models/vqvae/checkpoint';
import { resolveTrainingConfig, resolveVqVaeConfig, type TrainingConfig, type VqVaeConfig } from '../../models/vqvae/config';

/** What a benchmark run trains: the folder, where to, the model, the training and the normalization. */
export interface TrainRequest {
  folder: string;
  modelDir: string;
  model: VqVaeConfig;
  training: TrainingConfig;
  data: { normalization: Normalization };
}

/**
 * True when the manifest records the request's model, training settings, normalization and folder, and a
 * training that ran to its end: stopped early, or all its epochs done (as many as minSteps needs, as
 * train.ts plans them; a cancelled run has saved fewer).
 */
export function isFinishedTrainingOf(manifest: ModelManifest, request: TrainRequest): boolean {
  const training = resolveTrainingConfig(request.training);
  const record = manifest.training;
  const sameTraining = (Object.keys(training) as (keyof TrainingConfig)[]).every((key) => isDeepStrictEqual(record[key], training[key]));
  const same =
    isDeepStrictEqual(manifest.config, resolveVqVaeConfig(request.model)) &&
    sameTraining &&
    manifest.normalization === manifestNormalization(request.data.normalization) &&
    manifest.data.folder === request.folder;
  const stepsPerEpoch = Math.ceil((record.trainImages ?? 0) / training.batchSize);
  const plannedEpochs = Math.max(training.epochs, Math.ceil(training.minSteps / stepsPerEpoch));
  return same && (record.stoppedEarly === true || record.epochsCompleted >= plannedEpochs);
}
