// The two data sets of the quality benchmark (methods.md §11) and how each is laid out for a run:
// the training folder, the labelled test set, the normal scans that choose thresholds without the
// test set, the recipe, and the baselines without a model evaluated beside the maps.
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { basename, join } from 'node:path';
import { intensityBaselines, imageBaselines, meanImage } from '../../models/evaluate/baselines';
import { labelledTestSet, type LabelledScan } from '../../models/evaluate/labelledScans';
import { normalizeVolume } from '../../models/io/normalize';
import { readScan } from '../../models/io/volume';
import { postProcessingSettings, type Modality } from '../../models/scoring/modality';
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

/** Baselines are named 'baseline:<name>' beside the maps. */
const prefixed = (maps: Record<string, Grid>): Record<string, Grid> =>
  Object.fromEntries(Object.entries(maps).map(([name, grid]) => [`baseline:${name}`, grid]));

function freshFolder(folder: string): string {
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  return folder;
}

/** brain-ms: train on patients 07 + 19 FLAIR (lesions included), test on patient 26; normal scans: the healthy Kirby21 FLAIR. */
function brainMs(data: string, work: string): PreparedDataset {
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
    baselines: (score, modality) => prefixed(intensityBaselines(score, postProcessingSettings(modality))),
  };
}

/** magnetic-tile: train.txt less its last NORMAL_HELD_OUT images (the normal scans), test on test.csv. */
const NORMAL_HELD_OUT = 50;

async function magneticTile(data: string, work: string, quick: boolean): Promise<PreparedDataset> {
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
  return {
    name: 'magnetic-tile',
    recipe: 'industrial-texture',
    trainFolder: train,
    testSet: labelledTestSet(join(tiles, 'test.csv')),
    testSetName: 'magnetic-tile test.csv',
    normalScans: listed.slice(-NORMAL_HELD_OUT).map((file) => join(tiles, file)),
    limit: quick ? 150 : undefined,
    minLesionArea: 1,
    baselines: (score) => prefixed(imageBaselines(score, mean, inputSize, aspect)),
  };
}

export async function prepareDataset(name: DatasetName, data: string, work: string, quick: boolean): Promise<PreparedDataset> {
  if (!existsSync(join(data, name))) throw new Error(`${name}: ${join(data, name)} is absent (the shared data, see ../shared/data/README.md)`);
  return name === 'brain-ms' ? brainMs(data, work) : magneticTile(data, work, quick);
}
