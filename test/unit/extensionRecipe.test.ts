// A training folder gets the recipe it looks like, for the settings the user did not set.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { recipeForFiles } from '../../extension/recipeChoice';
import { type SettingsSource, readSettings, withRecipe } from '../../extension/settings';
import { RECIPES } from '../../models/vqvae/recipes';

test('FLAIR or T2 volumes look like flair-brain, 2D images like industrial-texture, anything else like no recipe', () => {
  assert.equal(recipeForFiles(['/d/p07_FLAIR.nii.gz', '/d/p19_FLAIR.nii.gz', '/d/p19_lesion_mask.nii.gz']), 'flair-brain', 'masks do not count');
  assert.equal(recipeForFiles(['/d/sub-01_T2w.nii']), 'flair-brain');
  assert.equal(recipeForFiles(['/d/a_T1.nii.gz', '/d/b_T1.nii.gz', '/d/c_FLAIR.nii.gz']), undefined, 'mostly T1');
  assert.equal(recipeForFiles(['/d/tile1.jpg', '/d/tile2.png']), 'industrial-texture');
  assert.equal(recipeForFiles(['/d/brain.nii.gz']), undefined, 'a volume of unknown modality');
  assert.equal(recipeForFiles([]), undefined);
});

test('the recipe fills the training settings and the normalization the user did not set; explicit ones win', () => {
  const workspace: Record<string, unknown> = { 'training.epochs': 3, 'training.minSteps': 0 };
  const config = {
    get: (key: string, fallback?: unknown) => workspace[key] ?? fallback,
    inspect: (key: string) => ({ key, workspaceValue: workspace[key] }),
  } as SettingsSource;
  const settings = withRecipe(readSettings(config), config, RECIPES['flair-brain']);
  assert.equal(settings.training.epochs, 3);
  assert.equal(settings.training.minSteps, 0);
  assert.equal(settings.training.restartDeadCodes, true);
  assert.equal(settings.training.warmupSteps, 50);
  assert.equal(settings.training.lrSchedule, 'cosine');
  assert.equal(settings.data.normalization, 'percentile-unclipped');
  workspace['data.normalization'] = 'zscore';
  assert.equal(withRecipe(readSettings(config), config, RECIPES['flair-brain']).data.normalization, 'zscore');
});
