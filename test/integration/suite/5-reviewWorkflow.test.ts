// Used-by flow: review with the trained model: the "VQ Anomaly Models" view lists it, it is selected,
// its details shown; the maps of a scan are exported as NIfTI and the folder scores as CSV; it is
// fine-tuned on a folder. Commands get their choices as arguments here, so that no Quick Pick or dialog
// is needed.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import * as vscode from 'vscode';
import { readScan } from '../../../models/io/volume';
import type { ModelManifest } from '../../../models/vqvae/checkpoint';
import type { ExportMapsResult, ScoreFolderResult, TrainResult } from '../../../models/worker/protocol';
import { COMMANDS, NIFTI_SCAN, activateExtension, workspaceUri } from './helpers';

suite('review workflow', () => {
  const modelDir = () => workspaceUri('.anomaly-models', 'train').fsPath;
  suiteTeardown(async () => {
    await vscode.workspace.getConfiguration('vqAnomaly').update('activeModel', undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('the models view lists the trained model', async () => {
    const api = await activateExtension();
    assert.ok((await api.listedModels()).includes(modelDir()), `listed: ${JSON.stringify(await api.listedModels())}`);
  });

  test('select model sets the active model setting, relative to the workspace', async () => {
    const selected = await vscode.commands.executeCommand<string | undefined>(COMMANDS.selectModel, modelDir());
    assert.equal(selected, modelDir());
    assert.equal(vscode.workspace.getConfiguration('vqAnomaly').get('activeModel'), join('.anomaly-models', 'train'));
  });

  test('model details show the manifest as Markdown', async () => {
    const page = await vscode.commands.executeCommand<string | undefined>(COMMANDS.openModelDetails, modelDir());
    assert.ok(page, 'no details page');
    assert.match(page, /^# Model train/);
    assert.match(page, /## Loss per epoch/);
  });

  test('exports the residual of the NIfTI scan as a NIfTI in the scan’s grid', async () => {
    const scan = workspaceUri(...NIFTI_SCAN.split('/'));
    const folder = workspaceUri('anomaly-exports');
    const result = await vscode.commands.executeCommand<ExportMapsResult | undefined>(COMMANDS.exportOverlays, scan, { maps: ['residual'], folder });
    assert.ok(result, 'vqAnomaly.exportOverlays returned no result');
    assert.deepEqual(result.files, [join(folder.fsPath, 'patient26_FLAIR_residual.nii.gz')]);
    const [map, original] = await Promise.all([readScan(result.files[0]), readScan(scan.fsPath)]);
    assert.deepEqual(map.dims, original.dims);
    assert.ok(
      map.data.some((v) => v > 0),
      'the exported residual is not all zero',
    );
  });

  test('refuses to export outside the workspace', async () => {
    const outside = vscode.Uri.file(join(tmpdir(), `vq-export-outside-${process.pid}`));
    const scan = workspaceUri(...NIFTI_SCAN.split('/'));
    const result = await vscode.commands.executeCommand(COMMANDS.exportOverlays, scan, { maps: ['residual'], folder: outside });
    assert.equal(result, undefined);
    assert.equal(existsSync(outside.fsPath), false);
  });

  test('exports the folder scores as CSV, one row per scan, most anomalous first, with the normal percentile', async () => {
    const scores = await vscode.commands.executeCommand<ScoreFolderResult>(COMMANDS.scoreFolder, workspaceUri('scans'));
    const target = workspaceUri('anomaly-scores.csv');
    const written = await vscode.commands.executeCommand<string | undefined>(COMMANDS.exportScores, target);
    assert.equal(written, target.fsPath);
    const [header, ...rows] = readFileSync(target.fsPath, 'utf8').trimEnd().split('\r\n');
    // The model has normal validation images: the images' rows give their normal percentile, the volume's is empty.
    assert.equal(header, 'file,score,normal_percentile');
    assert.deepEqual(
      rows.map((row) => basename(row.split(',')[0])),
      scores.scores.map((s) => basename(s.file)),
    );
    assert.deepEqual(
      rows.map((row) => row.split(',')[2]),
      scores.scores.map((s) => (s.normalRank ? String(s.normalRank.percentile) : '')),
    );
    // Like with like: the volume first, then its slices (PNG images), each group most anomalous first.
    const ranked = rows.map((row) => ({ volume: row.split(',')[0].endsWith('.nii.gz'), score: Number(row.split(',')[1]) }));
    assert.ok(
      ranked.every((r, i) => i === 0 || (ranked[i - 1].volume && !r.volume) || (ranked[i - 1].volume === r.volume && ranked[i - 1].score >= r.score)),
      `volumes first, then images, each most anomalous first: ${JSON.stringify(ranked)}`,
    );
    assert.ok(ranked[0].volume && ranked.some((r) => !r.volume), 'scans/ holds the volume and its slices');
  });

  test('fine-tunes the trained model on a folder into <folder>-finetuned, listed in the models view', async () => {
    const result = await vscode.commands.executeCommand<TrainResult | undefined>(COMMANDS.fineTuneModel, workspaceUri('train'), modelDir());
    const fineTuned = workspaceUri('.anomaly-models', 'train-finetuned').fsPath;
    try {
      assert.ok(result && !result.cancelled, `fine-tuning returned ${JSON.stringify(result)}`);
      assert.equal(result.modelDir, fineTuned);
      const manifest = JSON.parse(readFileSync(join(fineTuned, 'manifest.json'), 'utf8')) as ModelManifest;
      assert.equal(manifest.fineTunedFrom, modelDir());
      assert.deepEqual(await (await activateExtension()).listedModels(), [fineTuned, modelDir()], 'newest first');
    } finally {
      rmSync(fineTuned, { recursive: true, force: true });
    }
  });

  test('choose preset sets the preset setting', async () => {
    const config = () => vscode.workspace.getConfiguration('vqAnomaly');
    try {
      assert.equal(await vscode.commands.executeCommand(COMMANDS.choosePreset, 'cpu-medium'), 'cpu-medium');
      assert.equal(config().get('model.preset'), 'cpu-medium');
    } finally {
      await config().update('model.preset', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });
});
