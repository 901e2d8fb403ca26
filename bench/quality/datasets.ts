// The two data sets of the quality benchmark (methods.md §11) and how each is laid out for a run:
// the training folder, the labelled test set, the normal scans that choose thresholds without the
// test set, the recipe, and the baselines without a model evaluated beside the maps. magnetic-tile also
// has a tuning split: the test rows that the reported quick run does not evaluate, to choose settings on.
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { basename, join } from 'node:path';
import { intensityBaselines, imageBaselines, meanImage } from '../../models/evaluate/baselines';
import { labelledTestSet, type LabelledScan } from '../../models/evaluate/labelledScans';
import { evenlySpaced } from '../../models/io/evenlySpaced';
import { normalizeVolume } from '../../models/io/normalize';
import { readScan } from '../../models/io/volume';
import { postProcessingSettings, type Modality } from '../../models/scoring/modality';
import type { PostProcessing } from '../../models/scoring/postProcessing';
import type { VolumeScore } from '../../models/scoring/scoreScan';
import { resolveVqVaeConfig } from '../../models/vqvae/config';
import { RECIPES, type RecipeName } from '../../models/vqvae/recipes';
import type { Grid } from '../../models/worker/protocol';

export const DATASET_NAMES = ['brain-ms', 'magnetic-tile'] as const;
export type DatasetName = (typeof DATASET_NAMES)[number];

export interface PreparedDataset {
  name: DatasetName;
  recipe: RecipeName;
  trainFolder: string;
  testSet: LabelledScan[];
  testSetName: string;
  /** Normal scans, not in the training or test set: each map's 99th percentile on them is its threshold. */
  normalScans: string[];
  /** Evaluate at most this many test scans (evenly spaced); undefined = all. */
  limit?: number;
  /** A volume slice is an anomalous sample from this many lesion pixels. */
  minLesionArea: number;
  /** The maps without a model for one scored scan. */
  baselines(score: VolumeScore, modality: Modality): Record<string, Grid>;
}

/** How a run differs from the reported one: post-processing over the modality's defaults, and the tuning split. */
export interface DatasetOptions {
  quick: boolean;
  postProcessing?: Partial<PostProcessing>;
  /** Evaluate on the tuning split (magnetic-tile only) instead of the test set. */
  tuning?: boolean;
}

/** The test scans the reported quick run evaluates, as evaluateModel picks them. */
export const QUICK_TEST_SCANS = 150;

/** Baselines are named 'baseline:<name>' beside the maps. */
const prefixed = (maps: Record<string, Grid>): Record<string, Grid> =>
  Object.fromEntries(Object.entries(maps).map(([name, grid]) => [`baseline:${name}`, grid]));

function freshFolder(folder: string): string {
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  return folder;
}

/** brain-ms: train on patients 07 + 19 FLAIR (lesions included), test on patient 26; normal scans: the healthy Kirby21 FLAIR. */
function brainMs(data: string, work: string, options: DatasetOptions): PreparedDataset {
  if (options.tuning) throw new Error('--tuning: brain-ms has one test patient and no tuning split');
  const brains = join(data, 'brain-ms');
  const train = freshFolder(join(work, 'train'));
  for (const p of ['patient07', 'patient19']) symlinkSync(join(brains, p, 'FLAIR.nii.gz'), join(train, `${p}_FLAIR.nii.gz`));
  const test = freshFolder(join(work, 'test'));
  symlinkSync(join(brains, 'patient26', 'FLAIR.nii.gz'), join(test, 'patient26_FLAIR.nii.gz'));
  symlinkSync(join(brains, 'patient26', 'lesion_mask.nii.gz'), join(test, 'patient26_lesion_mask.nii.gz'));
  return {
    name: 'brain-ms',
    recipe: 'flair-brain',
    trainFolder: train,
    testSet: labelledTestSet(test),
    testSetName: 'brain-ms patient26 FLAIR',
    normalScans: [join(data, 'brain-healthy', 'kirby21-113_FLAIR.nii.gz')],
    minLesionArea: 20,
    baselines: (score, modality) => prefixed(intensityBaselines(score, postProcessingSettings(modality, options.postProcessing))),
  };
}

/** magnetic-tile: train.txt less its last NORMAL_HELD_OUT images (the normal scans), test on test.csv. */
const NORMAL_HELD_OUT = 50;

async function magneticTile(data: string, work: string, options: DatasetOptions): Promise<PreparedDataset> {
  const tiles = join(data, 'magnetic-tile');
  const listed = readFileSync(join(tiles, 'train.txt'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const train = freshFolder(join(work, 'train'));
  const trainFiles = listed.slice(0, -NORMAL_HELD_OUT);
  for (const file of trainFiles) symlinkSync(join(tiles, file), join(train, basename(file)));
  const recipe = RECIPES['industrial-texture'];
  const { inputSize, aspect } = resolveVqVaeConfig(recipe.model);
  const normalized = await Promise.all(
    trainFiles
      .filter((_, i) => i % 4 === 0)
      .map(async (file) => {
        const image = await readScan(join(tiles, file));
        return { ...image, data: normalizeVolume(image, recipe.normalization) };
      }),
  );
  const mean = meanImage(normalized, inputSize, aspect);
  const testSet = labelledTestSet(join(tiles, 'test.csv'));
  return {
    name: 'magnetic-tile',
    recipe: 'industrial-texture',
    trainFolder: train,
    testSet: options.tuning ? tuningSplit(testSet) : testSet,
    testSetName: options.tuning ? 'magnetic-tile test.csv, tuning split (rows the quick run does not evaluate)' : 'magnetic-tile test.csv',
    normalScans: listed.slice(-NORMAL_HELD_OUT).map((file) => join(tiles, file)),
    limit: options.quick ? QUICK_TEST_SCANS : undefined,
    minLesionArea: 1,
    baselines: (score, modality) => prefixed(imageBaselines(score, mean, inputSize, aspect, postProcessingSettings(modality, options.postProcessing))),
  };
}

/** The test scans outside the reported quick run's QUICK_TEST_SCANS (a full run evaluates them too). */
export function tuningSplit<T>(testSet: T[]): T[] {
  const reported = new Set(evenlySpaced(testSet, QUICK_TEST_SCANS));
  return testSet.filter((scan) => !reported.has(scan));
}

export async function prepareDataset(name: DatasetName, data: string, work: string, options: DatasetOptions): Promise<PreparedDataset> {
  if (!existsSync(join(data, name))) throw new Error(`${name}: ${join(data, name)} is absent (the shared data, see ../shared/data/README.md)`);
  return name === 'brain-ms' ? brainMs(data, work, options) : magneticTile(data, work, options);
}
