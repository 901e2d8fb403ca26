// Folder scoring with a calibrated prior: each FileScore gains the LSR sample score, computed from the NLL
// only (folderPriorScoring turns the restorations and KDE samplings off); none without a prior.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { readScan } from '../../models/io/volume';
import { loadPrior } from '../../models/prior/priorCheckpoint';
import { selectBackend } from '../../models/runtime/backend';
import { scoreVolume } from '../../models/scoring/scoreScan';
import { loadModel } from '../../models/vqvae/checkpoint';
import { runScoreFolder } from '../../models/worker/jobs';
import { ModelCache } from '../../models/worker/modelCache';
import { folderPriorScoring } from '../../models/worker/priorJobs';
import { calibration, saveTinyModel, saveTinyPrior } from './priorFixtures';
import { writeSyntheticPngs } from './workerFixtures';

const control = { onProgress: () => {}, isCancelled: () => false, log: () => {} };

let root: string;
let folder: string;
before(async () => {
  await selectBackend('wasm');
  root = mkdtempSync(join(tmpdir(), 'prior-folder-score-'));
  folder = join(root, 'scans');
  writeSyntheticPngs(folder, 3);
});
after(() => rmSync(root, { recursive: true, force: true }));

test('without a prior, folder scores have no prior score and the prior options are empty', async () => {
  const modelDir = join(root, 'plain');
  await saveTinyModel(modelDir);
  assert.deepEqual(await folderPriorScoring(modelDir), {});
  const result = await runScoreFolder({ modelDir, folder }, new ModelCache(), control);
  assert.equal(result.scores.length, 3);
  assert.ok(result.scores.every((s) => s.priorScore === undefined));
});

test('with a calibrated prior, each file gets its LSR sample score from the NLL alone', async () => {
  const modelDir = join(root, 'with-prior');
  await saveTinyModel(modelDir);
  await saveTinyPrior(modelDir, undefined, calibration(1.5, 1));
  const options = await folderPriorScoring(modelDir, { priorMaps: { restorationSamples: 15, kdeSamplings: 20, lambdaS: 2 } });
  assert.deepEqual(options.priorMaps, { restorationSamples: 0, kdeSamplings: 0, lambdaS: 2 }, 'restorations and KDE off, a fixed lambda_s kept');

  const result = await runScoreFolder({ modelDir, folder }, new ModelCache(), control);
  const { model } = await loadModel(modelDir);
  const { prior, manifest } = await loadPrior(modelDir);
  try {
    for (const { file, score, priorScore } of result.scores) {
      const expected = await scoreVolume(model, await readScan(file), {
        prior: { prior, calibration: manifest.calibration },
        priorMaps: { restorationSamples: 0, kdeSamplings: 0 },
      });
      assert.equal(score, expected.score, file);
      assert.equal(priorScore, expected.priorScores!.score, file);
      assert.ok(priorScore! > 0, `${file}: some token NLL is above lambda_s = 1.5`);
    }
  } finally {
    model.dispose();
    prior.dispose();
  }
});
