// Command-line interface to the models (bundled to dist/cli.js); it runs the same jobs as the worker.
// Progress and log lines go to stderr, results to stdout. See USAGE below.

import { readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { NORMALIZATIONS } from './io/normalize';
import { parseArgs } from 'node:util';
import {
  backendLog,
  choiceOf,
  EXIT,
  parseNumber,
  plural,
  poolWorkerLog,
  POST_PROCESSING_FLAGS,
  POST_PROCESSING_USAGE,
  postProcessingFlags,
  reportCliError,
  skippedLine,
  UsageError,
  threadsFlag,
  wholeNumber,
} from './cliSupport';
import { listScanFiles } from './io/dataset';
import { BadInputError } from './io/errors';
import { ScoringPool } from './pool/scoringPool';
import { selectBackend } from './runtime/backend';
import { BACKEND_ORDER, BACKEND_PREFERENCES, type BackendPreference } from './runtime/backendNames';
import { MAX_WASM_THREADS } from './runtime/wasmThreadCount';
import {
  AUGMENT_OFF,
  type AugmentConfig,
  DEFAULT_TRAINING,
  MODEL_OPTION_DEFAULTS,
  TRAINING_OPTION_DEFAULTS,
  type TrainingConfig,
  type VqVaeConfig,
} from './vqvae/config';
import { loadModel, readManifest } from './vqvae/checkpoint';
import { RECIPES, type Recipe, type RecipeName } from './vqvae/recipes';
import { isPresetName, PRESET_NAMES, PRESETS } from './vqvae/presets';
import { type JobControl, runScoreScan, runTrain } from './worker/jobs';
import { ModelCache } from './worker/modelCache';
import type { CountProgress, TrainParams, TrainProgress } from './worker/protocol';
import { runTrainPrior } from './worker/priorJobs';
import { DEFAULT_PRIOR_MAP_OPTIONS, type PriorMapOptions } from './scoring/priorMaps';
import { DEFAULT_PRIOR_TRAINING, type PriorTrainingConfig } from './prior/priorTrainingConfig';
import { CPU_PRIOR_ARCHITECTURE, type PriorConfig } from './prior/transformerConfig';
import { runEvaluateCommand } from './evaluateCli';
import { mergeScoreTables, parseShard, scoresToCsv, shardFiles } from './scoreCsv';
import { unlikeTrainingText } from './scoring/trainingFit';

const { augment: _augmentOff, ...TRAINING_NUMBER_DEFAULTS } = TRAINING_OPTION_DEFAULTS;
const { replacedFraction: _lsgsFraction, focalBeta: _lsgsBeta, ...PRIOR_TRAINING_NUMBER_DEFAULTS } = DEFAULT_PRIOR_TRAINING;

const USAGE = `Usage:
  node dist/cli.js train <folder> --out <modelDir> [options]
      --resume continues the training checkpointed in <modelDir> (give the same options; --epochs may grow)
      --recipe ${Object.keys(RECIPES).join('|')}   a measured model + training + normalization (models/vqvae/recipes.ts);
                            single flags still override it
${Object.entries(RECIPES)
  .map(([name, recipe]) => `        ${name}: ${recipe.description}`)
  .join('\n')}
  node dist/cli.js finetune <modelDir> <folder> --out <newModelDir> [training options]
      --epochs N  --batch-size N  --lr X  --seed N                  (defaults: ${JSON.stringify(DEFAULT_TRAINING)})
      --lr-schedule constant|cosine|step  --validation-fraction F  --early-stopping-patience N
      --eta X  --anomalous-margin M  --anomalous <folder>           (defaults: ${JSON.stringify(TRAINING_NUMBER_DEFAULTS)};
                                                                     labelled anomalies default to <folder>/anomalous/)
      --aggregate-codebook-epochs N   LSGS aggregated codebook: k-means codebook, then N fine-tuning epochs (0 = off)
      --min-steps N  (more epochs until N optimizer steps)  --warmup-steps N  (linear learning-rate warm-up)
      --codebook-init-steps N  (k-means codebook from the encodings after N steps)  --restart-dead-codes  (each epoch)
      --normalization ${NORMALIZATIONS.join('|')}   (train only; default percentile)
      --augment-flip  --augment-rotation DEG  --augment-scale S  --augment-brightness B  --augment-contrast C
      --augment-noise SIGMA                                          (default: all off)
  model options (train only):
      --preset ${PRESET_NAMES.join('|')} (default cpu-small):
${PRESET_NAMES.map((name) => `        ${name}: ${PRESETS[name].description}`).join('\n')}
      --input-size N  --channels 32,64  --residual-blocks R
      --codebook-size K  --codebook-dim D  --beta B  --dropout P     (override the preset)
      --codebook-update loss|ema  --ema-decay G  --batch-norm  --reconstruction-loss l1|continuous-bernoulli  --aspect pad|stretch
                                                                     (defaults: ${JSON.stringify(MODEL_OPTION_DEFAULTS)})
  node dist/cli.js train-prior <modelDir> <folder> [options]
      trains the latent prior into <modelDir>/prior/ and calibrates lambda_s / lambda_p (methods.md §5, §6)
      --epochs N  --batch-size N  --lr X  --seed N                  (defaults: ${JSON.stringify(PRIOR_TRAINING_NUMBER_DEFAULTS)})
      --d-model N  --layers N  --heads N  --feed-forward N  --dropout P  --attention causal|bidirectional
                                                                     (defaults: ${JSON.stringify(CPU_PRIOR_ARCHITECTURE)}, causal)
      --iltm-iterations N   then up to N rounds of Iterative Latent Token Masking (methods.md §7; default 0 = off)
      --condition-on-slice  condition the prior on each axial slice's position in its volume (LSR; 2D images: the middle)
      --fine-tune           start from the prior saved in <modelDir>/prior/ (its architecture; fresh optimizer),
                            then calibrate lambda_s / lambda_p again on <folder>
  node dist/cli.js score <modelDir> <file|folder> [--json] [--processes N (folders: worker processes, default: the cores)]
      --volume N    a 4D NIfTI file: the volume to score, from 0 (default 0; a folder's 4D files get volume 0)
      with a prior, a single file also gets its LSR scores; --restorations S  --kde-samplings N  (0 = off; defaults ${DEFAULT_PRIOR_MAP_OPTIONS.restorationSamples}, ${DEFAULT_PRIOR_MAP_OPTIONS.kdeSamplings})
      a folder with a calibrated prior: a second column, the LSR sample score (from the NLL only: no restorations or KDE)
      --lambda-s X  --lambda-p X   fixed LSR thresholds instead of the prior's calibrated ones
${POST_PROCESSING_USAGE}
      --csv         a folder's scores as CSV: file,score[,prior_score], file paths relative to the folder
      --shard I/N   score only every N-th file of the folder's sorted scan list, from the I-th (0 <= I < N):
                    one job of N parallel ones (e.g. a Kubernetes indexed Job: I = JOB_COMPLETION_INDEX)
  node dist/cli.js merge-scores <a.csv> [<b.csv> ...]
      joins the --csv outputs of the shards into one CSV on stdout, most anomalous first
  node dist/cli.js info <modelDir>
  node dist/cli.js evaluate <modelDir> <folder|test.csv> --out <reportDir> [--limit N]   (evaluate --help for all options)
Every command takes --backend auto|${BACKEND_ORDER.join('|')} (default auto); --verbose also lists the backends skipped;
--threads N  the wasm backend's threads (default 0: every core, at most ${MAX_WASM_THREADS}; a folder's N worker processes share the cores).
Exit codes: 0 done (score: every scan scored), 1 an error (score: no scan scored), 2 a mistake in the
command line, 3 score: some scans failed (listed as skipped).
During train, Ctrl-C stops after the current step and keeps the last completed epoch's checkpoint;
train --resume continues it.`;

const HELP_HINT = 'Run "node dist/cli.js --help" for the usage.';

/** Flags that set a VqVaeConfig field, one to one (the list flag --channels is handled apart). */
const MODEL_FLAGS = {
  'input-size': 'inputSize',
  'residual-blocks': 'residualBlocks',
  'codebook-size': 'codebookSize',
  'codebook-dim': 'codebookDim',
  beta: 'beta',
  dropout: 'dropout',
  'ema-decay': 'emaDecay',
} as const satisfies Record<string, Exclude<keyof VqVaeConfig, 'channels'>>;

/** Flags that choose one of a VqVaeConfig field's named values. */
const MODEL_CHOICE_FLAGS = {
  'codebook-update': { field: 'codebookUpdate', choices: ['loss', 'ema'] },
  'reconstruction-loss': { field: 'reconstructionLoss', choices: ['l1', 'continuous-bernoulli'] },
  aspect: { field: 'aspect', choices: ['pad', 'stretch'] },
} as const;

/** Flags that set a numeric TrainingConfig field, one to one. */
const TRAINING_FLAGS = {
  epochs: 'epochs',
  'batch-size': 'batchSize',
  lr: 'learningRate',
  seed: 'seed',
  'validation-fraction': 'validationFraction',
  'early-stopping-patience': 'earlyStoppingPatience',
  eta: 'eta',
  'anomalous-margin': 'anomalousMargin',
  'aggregate-codebook-epochs': 'aggregateCodebookEpochs',
  'min-steps': 'minSteps',
  'warmup-steps': 'warmupSteps',
  'codebook-init-steps': 'codebookInitSteps',
} as const satisfies Record<string, keyof TrainingConfig>;

const LR_SCHEDULES = ['constant', 'cosine', 'step'] as const;

/** train-prior: flags that set a numeric PriorTrainingConfig field. */
const PRIOR_TRAINING_FLAGS = { epochs: 'epochs', 'batch-size': 'batchSize', lr: 'learningRate', seed: 'seed' } as const satisfies Record<
  string,
  keyof PriorTrainingConfig
>;

/** train-prior: flags that set a numeric PriorConfig field. */
const PRIOR_FLAGS = { 'd-model': 'dModel', layers: 'layers', heads: 'heads', 'feed-forward': 'feedForward', dropout: 'dropout' } as const satisfies Record<
  string,
  keyof PriorConfig
>;

const PRIOR_ATTENTIONS = ['causal', 'bidirectional'] as const;

/** score: fixed LSR thresholds instead of the prior's calibrated ones. */
const LAMBDA_FLAGS = { 'lambda-s': 'lambdaS', 'lambda-p': 'lambdaP' } as const satisfies Record<string, keyof PriorMapOptions>;

/** Flags that set a numeric augmentation setting. */
const AUGMENT_FLAGS = {
  'augment-rotation': 'rotationDegrees',
  'augment-scale': 'scale',
  'augment-brightness': 'brightness',
  'augment-contrast': 'contrast',
  'augment-noise': 'noise',
} as const satisfies Record<string, Exclude<keyof AugmentConfig, 'flip'>>;

const STRING_FLAGS = [
  ...Object.keys(MODEL_FLAGS),
  ...Object.keys(MODEL_CHOICE_FLAGS),
  ...Object.keys(TRAINING_FLAGS),
  ...Object.keys(AUGMENT_FLAGS),
  ...Object.keys(PRIOR_FLAGS).filter((flag) => !(flag in MODEL_FLAGS)),
  'attention',
  'iltm-iterations',
  'restorations',
  'kde-samplings',
  'lambda-s',
  'lambda-p',
  'channels',
  'out',
  'backend',
  'preset',
  'lr-schedule',
  'anomalous',
  'processes',
  'threads',
  'shard',
  'volume',
  'normalization',
  'recipe',
  ...POST_PROCESSING_FLAGS,
];
const BOOLEAN_FLAGS = ['verbose', 'json', 'csv', 'resume', 'batch-norm', 'augment-flip', 'condition-on-slice', 'fine-tune', 'restart-dead-codes'];

type Flags = Record<string, string | boolean | undefined>;

/** A command resolves with its exit code, or nothing for 0. */
const COMMANDS: Record<string, (positionals: string[], flags: Flags) => Promise<number | void>> = {
  train,
  finetune,
  'train-prior': trainPriorCommand,
  score,
  info,
  'merge-scores': mergeScores,
};

async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'evaluate') return runEvaluateCommand(argv.slice(1)); // its own flags: models/evaluateCli.ts
  try {
    const { positionals, values } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        ...Object.fromEntries(STRING_FLAGS.map((flag) => [flag, { type: 'string' as const }])),
        ...Object.fromEntries(BOOLEAN_FLAGS.map((flag) => [flag, { type: 'boolean' as const }])),
        help: { type: 'boolean', short: 'h' },
      },
    });
    const [command, ...rest] = positionals;
    if (values.help) {
      console.log(USAGE);
      return 0;
    }
    if (command === undefined) {
      console.error(USAGE);
      return EXIT.usage;
    }
    const run = COMMANDS[command];
    if (!run) throw new UsageError(`Unknown command "${command}"`);
    return (await run(rest, values)) ?? EXIT.ok;
  } catch (error) {
    return reportCliError(error, HELP_HINT);
  }
}

async function train(positionals: string[], flags: Flags): Promise<void> {
  const [folder] = expectPositionals(positionals, ['folder']);
  if (typeof flags.out !== 'string') throw new UsageError('train needs --out <modelDir>');
  const normalization = flags.normalization !== undefined ? choiceFlag(flags, 'normalization', NORMALIZATIONS) : recipeFlag(flags)?.normalization;
  const data = normalization !== undefined ? { data: { normalization } } : {};
  const params = {
    folder,
    modelDir: flags.out,
    model: modelFlags(flags),
    training: trainingFlags(flags),
    resume: flags.resume === true,
    ...data,
    ...anomalousFlag(flags),
  };
  await runTrainCommand(params, flags);
}

/** Fine-tunes an existing model on a new folder into a new model folder (its model configuration is kept). */
async function finetune(positionals: string[], flags: Flags): Promise<void> {
  const [fromDir, folder] = expectPositionals(positionals, ['modelDir', 'folder']);
  if (typeof flags.out !== 'string') throw new UsageError('finetune needs --out <newModelDir>');
  const manifest = await readManifest(fromDir);
  const params = { folder, modelDir: flags.out, model: manifest.config, training: trainingFlags(flags), fineTuneFrom: fromDir, ...anomalousFlag(flags) };
  await runTrainCommand(params, flags);
}

/** The control of a training job: progress on the terminal, Ctrl-C stops after the current step. */
function trainingControl(): JobControl<TrainProgress> {
  let stopRequested = false;
  process.once('SIGINT', () => {
    stopRequested = true;
    log('Stopping after the current step (Ctrl-C again to quit at once)…');
    process.once('SIGINT', () => process.exit(130));
  });
  return { onProgress: showTrainProgress, isCancelled: () => stopRequested, log };
}

async function runTrainCommand(params: TrainParams, flags: Flags): Promise<void> {
  const backend = await selectBackend(backendFlag(flags), backendLog(flags.verbose === true, log), threadsFlag(flags.threads));
  const control = trainingControl();
  const result = await runTrain(params, backend.name, control);

  if (flags.json) console.log(JSON.stringify(result));
  else if (result.epochsCompleted === 0) console.log('Stopped by Ctrl-C before the first epoch ended; nothing was saved');
  else {
    const stopped = result.cancelled ? ' (stopped by Ctrl-C)' : '';
    const validation = result.validationImages > 0 ? ` (${result.validationImages} more for validation)` : '';
    const loss = result.validationImages > 0 ? 'validation loss' : 'loss';
    console.log(
      `Trained ${plural(result.epochsCompleted, 'epoch')} on ${plural(result.trainImages, 'image')}${validation}${stopped}; ` +
        `saved epoch ${result.bestEpoch}, the best, ${loss} ${result.bestLoss.toFixed(5)}; model in ${result.modelDir}`,
    );
  }
}

/** Trains the latent prior of a model folder on a folder of scans and calibrates its thresholds. */
async function trainPriorCommand(positionals: string[], flags: Flags): Promise<void> {
  const [modelDir, folder] = expectPositionals(positionals, ['modelDir', 'folder']);
  const prior: Partial<PriorConfig> = numberFlags(flags, PRIOR_FLAGS);
  if (flags.attention !== undefined) prior.attention = choiceFlag(flags, 'attention', PRIOR_ATTENTIONS);
  if (flags['condition-on-slice']) prior.conditionOnSlicePosition = true;
  const iltm = typeof flags['iltm-iterations'] === 'string' ? { iterations: parseNumber('iltm-iterations', flags['iltm-iterations']) } : undefined;
  const fineTune = flags['fine-tune'] === true;
  const backend = await selectBackend(backendFlag(flags), backendLog(flags.verbose === true, log), threadsFlag(flags.threads));
  const result = await runTrainPrior(
    { modelDir, folder, prior, training: numberFlags(flags, PRIOR_TRAINING_FLAGS), iltm, fineTune },
    backend.name,
    trainingControl(),
  );

  if (flags.json) console.log(JSON.stringify(result));
  else if (result.epochsCompleted === 0) console.log('Stopped by Ctrl-C before the first epoch ended; no prior was saved');
  else if (result.cancelled) console.log(`Stopped by Ctrl-C: ${modelDir}/prior keeps epoch ${result.epochsCompleted}, not calibrated`);
  else {
    console.log(
      `${fineTune ? 'Fine-tuned' : 'Trained'} the prior ${plural(result.epochsCompleted, 'epoch')} on ${plural(result.sequences, 'sequence')}, final loss ${result.finalLoss.toFixed(5)}; ` +
        `lambda_s ${result.lambdaS.toFixed(3)}, lambda_p ${result.lambdaP.toFixed(3)}; prior in ${modelDir}/prior`,
    );
  }
}

/** The model configuration: the preset (default cpu-small), overridden by the single flags. */
/** The recipe named by --recipe (models/vqvae/recipes.ts), if any. */
function recipeFlag(flags: Flags): Recipe | undefined {
  if (flags.recipe === undefined) return undefined;
  return RECIPES[choiceFlag(flags, 'recipe', Object.keys(RECIPES) as RecipeName[])];
}

function modelFlags(flags: Flags): VqVaeConfig {
  const presetName = typeof flags.preset === 'string' ? flags.preset : 'cpu-small';
  if (!isPresetName(presetName)) throw new UsageError(`--preset: expected one of ${PRESET_NAMES.join(', ')}, got "${presetName}"`);
  const base = flags.preset === undefined ? (recipeFlag(flags)?.model ?? PRESETS[presetName].config) : PRESETS[presetName].config;
  const model: VqVaeConfig = { ...base, ...numberFlags(flags, MODEL_FLAGS) };
  if (typeof flags.channels === 'string') model.channels = flags.channels.split(',').map((c) => parseNumber('channels', c));
  for (const [flag, { field, choices }] of Object.entries(MODEL_CHOICE_FLAGS)) {
    if (flags[flag] !== undefined) Object.assign(model, { [field]: choiceFlag(flags, flag, choices) });
  }
  if (flags['batch-norm']) model.batchNorm = true;
  return model;
}

function trainingFlags(flags: Flags): TrainingConfig {
  const training: TrainingConfig = { ...(recipeFlag(flags)?.training ?? DEFAULT_TRAINING), ...numberFlags(flags, TRAINING_FLAGS) };
  if (flags['lr-schedule'] !== undefined) training.lrSchedule = choiceFlag(flags, 'lr-schedule', LR_SCHEDULES);
  const augment: AugmentConfig = { ...AUGMENT_OFF, ...numberFlags(flags, AUGMENT_FLAGS), flip: flags['augment-flip'] === true };
  if (JSON.stringify(augment) !== JSON.stringify(AUGMENT_OFF)) training.augment = augment;
  if (flags['restart-dead-codes']) training.restartDeadCodes = true;
  return training;
}

function anomalousFlag(flags: Flags): Pick<TrainParams, 'anomalousFolder'> {
  return typeof flags.anomalous === 'string' ? { anomalousFolder: flags.anomalous } : {};
}

/** One of `choices`, named by the flag. */
function choiceFlag<Choice extends string>(flags: Flags, flag: string, choices: readonly Choice[]): Choice {
  return choiceOf(flag, flags[flag], choices);
}

async function score(positionals: string[], flags: Flags): Promise<number | void> {
  const [modelDir, target] = expectPositionals(positionals, ['modelDir', 'file|folder']);
  await selectBackend(backendFlag(flags), backendLog(flags.verbose === true, log), threadsFlag(flags.threads));
  const models = new ModelCache();
  const control: JobControl<CountProgress> = {
    onProgress: (p) => p.file && log(`[${p.done}/${p.total}] ${p.file}`),
    isCancelled: () => false,
    log,
  };

  if (isFolder(target)) {
    if (flags.json && flags.csv) throw new UsageError('score: --json and --csv exclude each other');
    if (flags.volume !== undefined) throw new UsageError('score: --volume is for one 4D file, not a folder');
    const shard = typeof flags.shard === 'string' ? parseShard(flags.shard) : undefined;
    // Folders are scored by a pool of worker processes, each on its share of the cores (processCount.ts).
    const listed = listScanFiles(target);
    if (listed.files.length === 0) throw new BadInputError(`${target}: no scan files to score (${plural(listed.skipped.length, 'other file')} skipped)`);
    const files = shard ? shardFiles(listed.files, shard) : listed.files;
    if (shard) log(`shard ${shard.index}/${shard.count}: ${files.length} of the folder's ${listed.files.length} scans`);
    const { processes } = numberFlags(flags, { processes: 'processes' } as const);
    const pool = new ScoringPool({
      workerScript: join(__dirname, 'worker.js'),
      backend: backendFlag(flags),
      processes,
      ...threadsFlag(flags.threads),
      log: poolWorkerLog(flags.verbose === true, log),
    });
    const result = await pool.scoreFiles(modelDir, files, control.onProgress, undefined, {
      scoring: { priorMaps: numberFlags(flags, LAMBDA_FLAGS), ...postProcessingFlags(flags) },
    });
    warnUnlikeTraining(result.scores);
    const fourD = result.scores.filter((row) => row.volume).length;
    if (fourD > 0) log(`note: ${plural(fourD, '4D file')} scored on volume 0 only (score one file with --volume N for another)`);
    const failed = result.skipped.length;
    // Every shard lists the folder's skipped files (masks, other files); only shard 0 reports them.
    if (!shard || shard.index === 0) result.skipped.unshift(...listed.skipped);
    if (flags.json) console.log(JSON.stringify(result));
    else if (flags.csv) {
      const inFolder = (file: string) => relative(target, file).split(sep).join('/');
      process.stdout.write(scoresToCsv(result.scores.map((row) => ({ ...row, file: inFolder(row.file) }))));
      for (const { file, reason } of result.skipped) log(skippedLine(file, reason));
    } else {
      const priorColumn = (priorScore?: number) => (priorScore === undefined ? '' : `${priorScore.toFixed(6)}  `);
      for (const { file, score, priorScore } of result.scores) console.log(`${score.toFixed(6)}  ${priorColumn(priorScore)}${file}`);
      for (const { file, reason } of result.skipped) log(skippedLine(file, reason));
    }
    log(`scored ${result.scores.length} of ${plural(files.length, 'scan')}${failed > 0 ? `; ${failed} failed` : ''}`);
    if (files.length > 0 && result.scores.length === 0) return EXIT.failed;
    if (failed > 0) return EXIT.partlyScored;
  } else {
    if (flags.shard !== undefined || flags.csv) throw new UsageError('score: --shard and --csv are for folders');
    const priorMaps = numberFlags(flags, { restorations: 'restorationSamples', 'kde-samplings': 'kdeSamplings', ...LAMBDA_FLAGS } as const);
    const volumeIndex = typeof flags.volume === 'string' ? wholeNumber('volume', flags.volume) : undefined;
    const { file, score, sliceScores, priorScores, warnings, volume, normalRank } = await runScoreScan(
      { modelDir, file: target, scoring: { priorMaps, ...postProcessingFlags(flags) }, volumeIndex },
      models,
      control,
    );
    warnUnlikeTraining([{ file, warnings }]);
    if (volume) log(`note: ${file} holds ${volume.count} volumes; scored volume ${volume.index} (--volume N scores another, from 0)`);
    console.log(flags.json ? JSON.stringify({ file, score, sliceScores, priorScores, warnings, volume, normalRank }) : `${score.toFixed(6)}  ${file}`);
  }
}

/** One stderr line per scan that does not look like the model's training data (models/scoring/trainingFit.ts). */
function warnUnlikeTraining(scores: { file: string; warnings?: string[] }[]): void {
  for (const { file, warnings = [] } of scores) if (warnings.length > 0) log(`warning: ${unlikeTrainingText(file, warnings)}`);
}

/** Joins the CSV files of `score --shard I/N --csv` into one table on stdout. */
async function mergeScores(positionals: string[]): Promise<void> {
  if (positionals.length === 0) throw new UsageError('merge-scores needs at least one CSV file');
  const tables = positionals.map((file) => {
    try {
      return { source: file, text: readFileSync(file, 'utf8') };
    } catch (error) {
      throw new BadInputError(`${file}: ${(error as Error).message}`);
    }
  });
  const { withPrior, rows } = mergeScoreTables(tables);
  process.stdout.write(scoresToCsv(rows, withPrior));
  log(`merged ${rows.length} scores from ${tables.length} files`);
}

/** Prints the model's manifest (without the list of weights) after checking that the model loads. */
async function info(positionals: string[], flags: Flags): Promise<void> {
  const [modelDir] = expectPositionals(positionals, ['modelDir']);
  await selectBackend(backendFlag(flags), backendLog(flags.verbose === true, log), threadsFlag(flags.threads));
  const { model, manifest } = await loadModel(modelDir);
  model.dispose();
  const { weightsManifest, ...summary } = manifest;
  console.log(JSON.stringify({ ...summary, weights: weightsManifest.length }, null, 2));
}

function expectPositionals(positionals: string[], names: string[]): string[] {
  if (positionals.length !== names.length) {
    throw new UsageError(`Expected ${names.map((n) => `<${n}>`).join(' ')}, got ${positionals.length} arguments`);
  }
  return positionals;
}

/** The numeric fields set by the given flags, e.g. { epochs: 3 } for `--epochs 3`. */
function numberFlags<Field extends string>(flags: Flags, fieldOf: Record<string, Field>): Partial<Record<Field, number>> {
  const fields: Partial<Record<Field, number>> = {};
  for (const [flag, field] of Object.entries(fieldOf)) {
    const text = flags[flag];
    if (typeof text === 'string') fields[field] = parseNumber(flag, text);
  }
  return fields;
}

function backendFlag(flags: Flags): BackendPreference {
  return flags.backend === undefined ? 'auto' : choiceFlag<BackendPreference>(flags, 'backend', BACKEND_PREFERENCES);
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    throw new BadInputError(`${path}: no such file or folder`);
  }
}

/** On a terminal, training shows its current step on one line that each new line erases. */
const ERASE_LINE = process.stderr.isTTY ? '\r\x1b[K' : '';

function log(line: string): void {
  process.stderr.write(`${ERASE_LINE}${line}\n`);
}

/** The current step, on a terminal only (trainVqVae logs a line per epoch). */
function showTrainProgress(p: TrainProgress): void {
  if (ERASE_LINE) process.stderr.write(`${ERASE_LINE}epoch ${p.epoch}/${p.epochs}  step ${p.step}/${p.stepsPerEpoch}  loss ${p.loss.toFixed(5)}`);
}

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
