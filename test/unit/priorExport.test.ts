// Exporting the prior's maps (models/worker/exportMaps.ts): nll, restoration and kde are written like the
// VQ-VAE's maps when the model folder holds a prior, and refused with a clear message when it does not.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { BadInputError } from '../../models/io/errors';
import { readScan } from '../../models/io/volume';
import { selectBackend } from '../../models/runtime/backend';
import { runExportMaps } from '../../models/worker/exportMaps';
import { ModelCache } from '../../models/worker/modelCache';
import { calibration, saveTinyModel, saveTinyPrior, writeVolume } from './priorFixtures';
import { IMAGE_HEIGHT, IMAGE_WIDTH, writeSyntheticPngs } from './workerFixtures';

const control = { onProgress: () => {}, isCancelled: () => false, log: () => {} };

let root: string;
before(async () => {
  await selectBackend('wasm');
  root = mkdtempSync(join(tmpdir(), 'prior-export-'));
});
after(() => rmSync(root, { recursive: true, force: true }));

test('the nll map of a NIfTI volume is written in its grid, the prior maps of an image as PNGs of its size', async () => {
  const modelDir = join(root, 'with-prior');
  await saveTinyModel(modelDir);
  await saveTinyPrior(modelDir, undefined, calibration(2, 1.5));
  const volume = join(root, 'brain.nii.gz');
  writeVolume(volume, [14, 12, 3]);
  const out = join(root, 'exports');
  const models = new ModelCache();

  const nifti = await runExportMaps({ modelDir, file: volume, folder: out, maps: ['nll'] }, models, control);
  assert.deepEqual(nifti.files, [join(out, 'brain_nll.nii.gz')]);
  const nll = await readScan(nifti.files[0]);
  assert.deepEqual(nll.dims, [14, 12, 3]);
  assert.ok(
    nll.data.some((v) => v > 0),
    'the nll map is not empty',
  );

  const [png] = writeSyntheticPngs(join(root, 'images'), 1);
  const maps = ['nll', 'restoration', 'kde'] as const;
  const scoring = { priorMaps: { restorationSamples: 2, kdeSamplings: 2, kdeDropoutDecodes: 1 } };
  const images = await runExportMaps({ modelDir, file: png, folder: out, maps: [...maps], scoring }, models, control);
  assert.deepEqual(
    images.files,
    maps.map((name) => join(out, `image0_${name}.png`)),
  );
  for (const file of images.files) assert.deepEqual((await readScan(file)).dims, [IMAGE_WIDTH, IMAGE_HEIGHT, 1], file);
  assert.deepEqual(readdirSync(out).sort(), ['brain_nll.nii.gz', 'image0_kde.png', 'image0_nll.png', 'image0_restoration.png']);
});

test('a prior map of a model without a prior, or a restoration map without lambda_p, is refused with the reason', async () => {
  const modelDir = join(root, 'no-prior');
  await saveTinyModel(modelDir);
  const [png] = writeSyntheticPngs(join(root, 'more'), 1);
  const folder = join(root, 'refused');
  await assert.rejects(
    runExportMaps({ modelDir, file: png, folder, maps: ['residual', 'nll'] }, new ModelCache(), control),
    (error: unknown) =>
      error instanceof BadInputError && error.message === `${modelDir} has no latent prior, which the nll map needs: train one first (Train latent prior)`,
  );
  await saveTinyPrior(modelDir); // not calibrated: no lambda_p
  await assert.rejects(
    runExportMaps({ modelDir, file: png, folder, maps: ['restoration'] }, new ModelCache(), control),
    /The restoration map of .*image0\.png was not computed: it needs a calibrated prior \(or a fixed lambda_p\)/,
  );
});
