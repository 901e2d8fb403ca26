// Checks of the user-facing settings (VS Code settings / CLI flags) before a model is built or trained,
// with messages that name the setting and the allowed values.
import { BadInputError } from '../io/errors';
import { type TrainingConfig, type VqVaeConfig, resolveTrainingConfig, resolveVqVaeConfig } from './config';

const isPositiveInteger = (v: number): boolean => Number.isInteger(v) && v > 0;

function check(problems: string[], ok: boolean, problem: string): void {
  if (!ok) problems.push(problem);
}

function throwIfAny(problems: string[], what: string): void {
  if (problems.length > 0) throw new BadInputError(`Invalid ${what}: ${problems.join('; ')}`);
}

/** Throws BadInputError listing every invalid field of a model configuration. */
export function validateVqVaeConfig(config: VqVaeConfig): void {
  const problems: string[] = [];
  const levels = Array.isArray(config.channels) ? config.channels.length : 0;
  check(
    problems,
    levels > 0 && config.channels.every(isPositiveInteger),
    `channels must be a non-empty list of positive integers, got ${JSON.stringify(config.channels)}`,
  );
  check(
    problems,
    isPositiveInteger(config.inputSize) && config.inputSize % 2 ** levels === 0,
    `inputSize must be a positive multiple of 2^${levels} = ${2 ** levels} (one halving per entry of channels), got ${config.inputSize}`,
  );
  check(
    problems,
    Number.isInteger(config.residualBlocks) && config.residualBlocks >= 0,
    `residualBlocks must be an integer >= 0, got ${config.residualBlocks}`,
  );
  check(problems, isPositiveInteger(config.codebookSize), `codebookSize must be a positive integer, got ${config.codebookSize}`);
  check(problems, isPositiveInteger(config.codebookDim), `codebookDim must be a positive integer, got ${config.codebookDim}`);
  check(problems, Number.isFinite(config.beta) && config.beta >= 0, `beta must be a number >= 0, got ${config.beta}`);
  check(problems, config.dropout >= 0 && config.dropout < 1, `dropout must be in [0, 1), got ${config.dropout}`);
  const options = resolveVqVaeConfig(config);
  check(problems, ['loss', 'ema'].includes(options.codebookUpdate), `codebookUpdate must be "loss" or "ema", got ${JSON.stringify(options.codebookUpdate)}`);
  check(problems, options.emaDecay > 0 && options.emaDecay < 1, `emaDecay must be in (0, 1), got ${options.emaDecay}`);
  check(problems, typeof options.batchNorm === 'boolean', `batchNorm must be true or false, got ${JSON.stringify(options.batchNorm)}`);
  check(
    problems,
    ['l1', 'continuous-bernoulli'].includes(options.reconstructionLoss),
    `reconstructionLoss must be "l1" or "continuous-bernoulli", got ${JSON.stringify(options.reconstructionLoss)}`,
  );
  check(problems, ['pad', 'stretch'].includes(options.aspect), `aspect must be "pad" or "stretch", got ${JSON.stringify(options.aspect)}`);
  throwIfAny(problems, 'model configuration');
}

/** Throws BadInputError listing every invalid field of a training configuration. */
export function validateTrainingConfig(training: TrainingConfig): void {
  const problems: string[] = [];
  check(problems, isPositiveInteger(training.epochs), `epochs must be a positive integer, got ${training.epochs}`);
  check(problems, isPositiveInteger(training.batchSize), `batchSize must be a positive integer, got ${training.batchSize}`);
  check(problems, Number.isFinite(training.learningRate) && training.learningRate > 0, `learningRate must be a number > 0, got ${training.learningRate}`);
  check(problems, Number.isInteger(training.seed), `seed must be an integer, got ${training.seed}`);
  const options = resolveTrainingConfig(training);
  check(
    problems,
    ['constant', 'cosine', 'step'].includes(options.lrSchedule),
    `lrSchedule must be "constant", "cosine" or "step", got ${JSON.stringify(options.lrSchedule)}`,
  );
  check(problems, options.validationFraction >= 0 && options.validationFraction < 1, `validationFraction must be in [0, 1), got ${options.validationFraction}`);
  check(
    problems,
    Number.isInteger(options.earlyStoppingPatience) && options.earlyStoppingPatience >= 0,
    `earlyStoppingPatience must be an integer >= 0, got ${options.earlyStoppingPatience}`,
  );
  check(problems, options.eta > 0 && options.eta <= 1, `eta must be in (0, 1], got ${options.eta}`);
  check(problems, options.anomalousMargin > 0, `anomalousMargin must be > 0, got ${options.anomalousMargin}`);
  check(
    problems,
    Number.isInteger(options.aggregateCodebookEpochs) && options.aggregateCodebookEpochs >= 0,
    `aggregateCodebookEpochs must be an integer >= 0, got ${options.aggregateCodebookEpochs}`,
  );
  for (const name of ['minSteps', 'warmupSteps', 'codebookInitSteps'] as const) {
    check(problems, Number.isInteger(options[name]) && options[name] >= 0, `${name} must be an integer >= 0, got ${options[name]}`);
  }
  check(problems, typeof options.restartDeadCodes === 'boolean', `restartDeadCodes must be true or false, got ${JSON.stringify(options.restartDeadCodes)}`);
  const { flip, ...magnitudes } = options.augment;
  check(problems, typeof flip === 'boolean', `augment.flip must be true or false, got ${JSON.stringify(flip)}`);
  for (const [name, value] of Object.entries(magnitudes)) {
    check(problems, Number.isFinite(value) && value >= 0, `augment.${name} must be a number >= 0, got ${value}`);
  }
  check(problems, options.augment.scale < 1 && options.augment.contrast < 1, 'augment.scale and augment.contrast must be < 1');
  throwIfAny(problems, 'training configuration');
}
