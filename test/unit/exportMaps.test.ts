// models/worker/exportMaps.ts: maps of a NIfTI scan written in its grid, PNG heatmaps of an image,
// written through the worker job with a small untrained model.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { encodeGrayPng } from '../../models/io/image2d';
import { encodeNifti1 } from '../../models/io/niftiWrite';
import { readScan } from '../../models/io/volume';
import { selectBackend } from '../../models/runtime/backend';
import { scanStem } from '../../models/io/outputFiles';
import { heatmapValues, runExportMaps } from '../../models/worker/exportMaps';
import { ModelCache } from '../../models/worker/modelCache';
import { saveTinyModel } from './priorFixtures';

const control = { onProgress: () => {}, isCancelled: () => false, log: () => {} };

describe('export maps', () => {
  let root: string;
  let modelDir: string;
  before(async () => {
    await selectBackend('wasm');
    root = mkdtempSync(join(tmpdir(), 'export-maps-'));
    modelDir = join(root, 'model');
    await saveTinyModel(modelDir);
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('names files by the scan without its extension', () => {
    assert.equal(scanStem('/d/brain.nii.gz'), 'brain');
    assert.equal(scanStem('/d/brain.v2.NII'), 'brain.v2');
    assert.equal(scanStem('/d/tile.jpeg'), 'tile');
  });

  it('scales a heatmap so that its 99th percentile is white', () => {
    // 0..100: the 99th percentile is 99 (rank 0.99 * 100), so value v becomes v / 99.
    const map = Float32Array.from({ length: 101 }, (_, i) => i);
    const scaled = heatmapValues(map);
    assert.equal(scaled[0], 0);
    assert.ok(Math.abs(scaled[99] - 1) < 1e-6);
    assert.ok(Math.abs(scaled[50] - 50 / 99) < 1e-6);
    assert.deepEqual(heatmapValues(new Float32Array(4)), new Float32Array(4), 'an all-zero map stays black');
  });

  it('writes NIfTI maps in the scan’s grid and PNG heatmaps of the image size, and no temporary files', async () => {
    const dims: [number, number, number] = [20, 18, 3];
    const data = Float32Array.from({ length: 20 * 18 * 3 }, (_, i) => ((i * 37) % 101) + 1);
    const niftiFile = join(root, 'scan.nii.gz');
    writeFileSync(niftiFile, encodeNifti1({ dims, spacing: [1, 1.5, 2], data }, { datatype: 'float32' }));
    const pngFile = join(root, 'tile.png');
    writeFileSync(
      pngFile,
      encodeGrayPng(
        Float32Array.from({ length: 24 * 12 }, (_, i) => (i % 24) / 24),
        24,
        12,
      ),
    );
    const out = join(root, 'exports');
    const models = new ModelCache();

    const nifti = await runExportMaps({ modelDir, file: niftiFile, folder: out, maps: ['residual', 'alignment'] }, models, control);
    assert.deepEqual(nifti.files, [join(out, 'scan_residual.nii.gz'), join(out, 'scan_alignment.nii.gz')]);
    const residual = await readScan(nifti.files[0]);
    assert.deepEqual(residual.dims, dims);
    assert.deepEqual(residual.spacing, [1, 1.5, 2]);
    assert.ok(
      residual.data.some((v) => v > 0),
      'the residual map is not empty',
    );

    const png = await runExportMaps({ modelDir, file: pngFile, folder: out, maps: ['residual'] }, models, control);
    assert.deepEqual(png.files, [join(out, 'tile_residual.png')]);
    assert.deepEqual((await readScan(png.files[0])).dims, [24, 12, 1]);
    assert.deepEqual(readdirSync(out).sort(), ['scan_alignment.nii.gz', 'scan_residual.nii.gz', 'tile_residual.png']);
  });
});
