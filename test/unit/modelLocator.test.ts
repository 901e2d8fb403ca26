// Where models go and which one scores: extension/modelLocator.ts on real folders in a temp directory.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { NO_MODEL_MESSAGE, NoModelError, findActiveModel, modelDirForFolder, newestModelDir } from '../../extension/modelLocator';

/** Makes `<root>/<name>/manifest.json`, modified at `secondsSinceEpoch`. */
function model(root: string, name: string, secondsSinceEpoch: number): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'manifest.json'), '{}');
  utimesSync(join(dir, 'manifest.json'), secondsSinceEpoch, secondsSinceEpoch);
  return dir;
}

describe('modelLocator', () => {
  let workspace: string;
  let models: string;
  before(() => {
    workspace = mkdtempSync(join(tmpdir(), 'model-locator-'));
    models = join(workspace, '.anomaly-models');
    model(models, 'brains', 1_000);
    model(models, 'tiles', 3_000); // the newest complete model
    model(models, 'tiles.tmp-4242', 5_000); // a checkpoint being written: never chosen
    model(models, 'tiles.old-4242-1700000000000', 4_000); // the folder it replaces: never chosen
    mkdirSync(join(models, 'empty')); // no manifest: not a model
    writeFileSync(join(models, 'notes.txt'), 'not a folder');
  });
  after(() => rmSync(workspace, { recursive: true, force: true }));

  it('puts a training folder’s model at <workspace>/<modelsFolder>/<folder name>', () => {
    assert.equal(modelDirForFolder('/ws', '.anomaly-models', '/ws/data/MT_Free/'), '/ws/.anomaly-models/MT_Free');
    assert.equal(modelDirForFolder('/ws', '/models', '/elsewhere/brains'), '/models/brains');
  });

  it('picks the model whose manifest.json was modified last, skipping checkpoint folders in transit', async () => {
    assert.equal(await newestModelDir(models), join(models, 'tiles'));
  });

  it('finds no model in a missing models folder', async () => {
    assert.equal(await newestModelDir(join(workspace, 'missing')), undefined);
  });

  it('scores with the newest model when vqAnomaly.activeModel is empty', async () => {
    assert.equal(await findActiveModel({ workspaceRoot: workspace, modelsFolder: '.anomaly-models', activeModel: '' }), join(models, 'tiles'));
  });

  it('scores with vqAnomaly.activeModel when set, relative to the workspace or absolute', async () => {
    const query = { workspaceRoot: workspace, modelsFolder: '.anomaly-models' };
    assert.equal(await findActiveModel({ ...query, activeModel: '.anomaly-models/brains' }), join(models, 'brains'));
    assert.equal(await findActiveModel({ ...query, activeModel: join(models, 'brains') }), join(models, 'brains'));
  });

  it('says what to do when there is no model', async () => {
    await assert.rejects(findActiveModel({ workspaceRoot: workspace, modelsFolder: 'nothing-here', activeModel: '' }), (error) => {
      assert.ok(error instanceof NoModelError);
      assert.equal(error.message, NO_MODEL_MESSAGE);
      return true;
    });
    await assert.rejects(findActiveModel({ workspaceRoot: undefined, modelsFolder: '.anomaly-models', activeModel: '' }), NoModelError);
  });

  it('names the activeModel setting and the folder when that folder holds no model', async () => {
    await assert.rejects(findActiveModel({ workspaceRoot: workspace, modelsFolder: '.anomaly-models', activeModel: '.anomaly-models/empty' }), {
      name: 'NoModelError',
      message: `The model set in vqAnomaly.activeModel (${join(models, 'empty')}) has no manifest.json: train it first or clear the setting.`,
    });
  });
});
