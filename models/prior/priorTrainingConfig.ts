// Training settings of the prior: the VQ-VAE's (epochs, batch size, learning rate, seed) plus the LSGS
// tampering of the bidirectional mode. Each field is a `vqAnomaly.prior.*` setting / CLI flag.
import { BadInputError } from '../io/errors';
import { validateTrainingConfig } from '../vqvae/validateConfig';
import type { TrainingConfig } from '../vqvae/config';
import { LSGS_FOCAL_BETA, LSGS_REPLACED_FRACTION } from './replacementLoss';

export interface PriorTrainingConfig extends TrainingConfig {
  /** Bidirectional mode only: fraction of each sequence replaced by random codes (LSGS: 0.1). */
  replacedFraction: number;
  /** Bidirectional mode only: weight beta of the untampered positions in the focal loss (LSGS: 0.01). */
  focalBeta: number;
}

/** Pinaya et al. and LSR train the prior with Adam at 1e-4; 1e-3 converges in fewer epochs for the small CPU preset. */
export const DEFAULT_PRIOR_TRAINING: PriorTrainingConfig = {
  epochs: 20,
  batchSize: 16,
  learningRate: 1e-3,
  seed: 1,
  replacedFraction: LSGS_REPLACED_FRACTION,
  focalBeta: LSGS_FOCAL_BETA,
};

/** Throws BadInputError listing every invalid field. */
export function validatePriorTrainingConfig(training: PriorTrainingConfig): void {
  validateTrainingConfig(training);
  const problems: string[] = [];
  if (!(training.replacedFraction > 0 && training.replacedFraction < 1)) problems.push(`replacedFraction must be in (0, 1), got ${training.replacedFraction}`);
  if (!(training.focalBeta >= 0 && training.focalBeta <= 1)) problems.push(`focalBeta must be in [0, 1], got ${training.focalBeta}`);
  if (problems.length > 0) throw new BadInputError(`Invalid prior training configuration: ${problems.join('; ')}`);
}
