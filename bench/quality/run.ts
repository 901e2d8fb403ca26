// One data set through the quality benchmark: train the VQ-VAE with the data set's recipe (and, unless
// quick, a causal prior), choose each map's threshold on normal scans, then evaluate every map and the
// baselines on the same pixels and samples (models/evaluate). Every figure of the report comes from here.
// A model trained by an earlier run with the same recipe can be reused, to compare post-processing
// settings in minutes.
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { evaluateModel } from '../../models/evaluate/evaluateModel';
import type { EvaluationReport } from '../../models/evaluate/evaluationReport';
import { selectPercentile } from '../../models/io/normalize';
import { readScan } from '../../models/io/volume';
import { FOREGROUND_THRESHOLD } from '../../models/io/dataset';
import { postProcessingSettings, scanModality } from '../../models/scoring/modality';
import type { PostProcessing } from '../../models/scoring/postProcessing';
import type { PriorMapOptions } from '../../models/scoring/priorMaps';
import { scoreVolume } from '../../models/scoring/scoreScan';
import { loadModel, normalizationOf, readManifest, type ModelManifest } from '../../models/vqvae/checkpoint';
import { PRESETS, type PresetName } from '../../models/vqvae/presets';
import { RECIPES } from '../../models/vqvae/recipes';
import { runTrain, type JobControl } from '../../models/worker/jobs';
import { loadScoringPrior, runTrainPrior } from '../../models/worker/priorJobs';
import type { ScoringParameters } from '../../models/worker/protocol';
import type { PreparedDataset } from './datasets';
import { isFinishedTrainingOf, type TrainRequest } from './reusedTraining';

export interface DatasetRun {
  recipe: string;
  backend: string;
  loadAverage: number[];
  trainSeconds: number;
  priorSeconds: number | null;
  /** True when the model of an earlier run was reused (trainSeconds is then that run's, from its manifest). */
  reusedModel: boolean;
  /** The post-processing of the image (2D) or volume maps, as scored. */
  postProcessing: PostProcessing;
  manifest: ModelManifest;
  thresholds: Record<string, number>;
  report: EvaluationReport;
}

/** The prior's maps in the benchmark: fewer samples than the product's defaults, so that a volume takes minutes. */
const PRIOR_MAPS: Partial<PriorMapOptions> = { restorationSamples: 8, kdeSamplings: 10 };
const PRIOR_EPOCHS = 8;

const log = (line: string) => process.stderr.write(`${line}\n`);
const quiet = <P>(): JobControl<P> => ({ onProgress: () => undefined, isCancelled: () => false, log });

/** Changes to the recipe for one run: fewer steps (a smoke test) or another model preset; post-processing over the modality's defaults; reuse of a matching model. */
export interface RecipeOverrides {
  minSteps?: number;
  preset?: PresetName;
  postProcessing?: Partial<PostProcessing>;
  /** Skip the training when `work`/model holds a model trained with the same model, training, normalization and folder (no prior runs). */
  reuseModel?: boolean;
}

export async function runDataset(
  dataset: PreparedDataset,
  work: string,
  backend: string,
  withPrior: boolean,
  overrides: RecipeOverrides = {},
): Promise<DatasetRun> {
  const recipe = RECIPES[dataset.recipe];
  const { minSteps, preset } = overrides;
  const training = minSteps === undefined ? recipe.training : { ...recipe.training, epochs: 1, minSteps };
  const model = preset ? PRESETS[preset].config : recipe.model;
  const modelDir = join(work, 'model');
  const trainRequest: TrainRequest = { folder: dataset.trainFolder, modelDir, model, training, data: { normalization: recipe.normalization } };
  if (overrides.reuseModel && withPrior) throw new Error('--reuse-model: only with --quick (a full run trains a prior on its model)');
  const reused = overrides.reuseModel ? await reusableManifest(trainRequest) : undefined;
  if (overrides.reuseModel && !reused) throw new Error(`--reuse-model: ${modelDir} holds no finished training of this recipe; run once without --reuse-model`);
  let trainSeconds = reused?.training.seconds ?? 0;
  if (reused) log(`[${dataset.name}] reusing the model in ${modelDir} (trained with this recipe)`);
  else {
    log(`[${dataset.name}] training the ${dataset.recipe} recipe on ${dataset.trainFolder}`);
    const trainStart = performance.now();
    await runTrain(trainRequest, backend as never, quiet());
    trainSeconds = (performance.now() - trainStart) / 1000;
  }
  let priorSeconds: number | null = null;
  if (withPrior) {
    log(`[${dataset.name}] training the prior`);
    const priorStart = performance.now();
    await runTrainPrior({ modelDir, folder: dataset.trainFolder, training: { epochs: PRIOR_EPOCHS } }, backend as never, quiet());
    priorSeconds = (performance.now() - priorStart) / 1000;
  }
  const scoring = { priorMaps: PRIOR_MAPS, postProcessing: overrides.postProcessing };
  const thresholds = await normalThresholds(modelDir, dataset, scoring);
  log(`[${dataset.name}] evaluating on ${dataset.testSetName}`);
  const { report } = await evaluateModel(modelDir, dataset.testSet, {
    backend,
    scoring,
    testSet: dataset.testSetName,
    limit: dataset.limit,
    minLesionArea: dataset.minLesionArea,
    baselines: dataset.baselines,
    thresholds,
    log: (line) => (line.startsWith('[') ? undefined : log(line)),
  });
  const manifest = await readManifest(modelDir);
  return {
    recipe: preset ? `${dataset.recipe} with the ${preset} model` : dataset.recipe,
    backend,
    loadAverage: loadavg(),
    trainSeconds,
    priorSeconds,
    reusedModel: reused !== undefined,
    postProcessing: postProcessingSettings(dataset.name === 'brain-ms' ? 'flair' : 'image', overrides.postProcessing),
    manifest,
    thresholds,
    report,
  };
}

/** The manifest of the model in request.modelDir when it is a finished training of the request (reusedTraining.ts); else undefined. */
async function reusableManifest(request: TrainRequest): Promise<ModelManifest | undefined> {
  if (!existsSync(join(request.modelDir, 'manifest.json'))) return undefined;
  const manifest = await readManifest(request.modelDir);
  return isFinishedTrainingOf(manifest, request) ? manifest : undefined;
}

/** Per map (and baseline): the 99th percentile of its values over the foreground of the normal scans, the threshold of a "Dice at a normal threshold". */
async function normalThresholds(modelDir: string, dataset: PreparedDataset, scoring: ScoringParameters): Promise<Record<string, number>> {
  const { model, manifest } = await loadModel(modelDir);
  const prior = await loadScoringPrior(modelDir);
  const values: Record<string, number[]> = {};
  try {
    for (const file of dataset.normalScans) {
      const volume = await readScan(file);
      const modality = scanModality(undefined, file, volume);
      const score = await scoreVolume(model, volume, { ...scoring, modality, prior, normalization: normalizationOf(manifest) });
      const maps = { ...score.maps, ...dataset.baselines(score, modality) };
      const isVolume = volume.dims[2] > 1;
      for (const [name, grid] of Object.entries(maps)) {
        if (name === 'reconstruction' || !grid) continue;
        const list = (values[name] ??= []);
        // A sparse subsample keeps the arrays small for large volumes; every 7th pixel of the foreground.
        for (let i = 0; i < grid.data.length; i += 7) if (!isVolume || score.image.data[i] > FOREGROUND_THRESHOLD) list.push(grid.data[i]);
      }
    }
  } finally {
    model.dispose();
  }
  return Object.fromEntries(Object.entries(values).map(([name, list]) => [name, selectPercentile(Float32Array.from(list), 99)]));
}
