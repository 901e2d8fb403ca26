// Used-by flow: Explorer → right-click the training folder → "Train latent prior" for the trained model,
// then scoring a scan adds the prior's maps (NLL, restoration, KDE) and its LSR score. A tiny prior and
// few samplings, set in the workspace settings, keep it to seconds (the scorings of the 121-slice
// volume take the most: there only the NLL map is asked for).
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { PriorManifest } from '../../../models/prior/priorCheckpoint';
import type { ExportMapsResult, TrainPriorResult } from '../../../models/worker/protocol';
import type { TrainPriorOptions } from '../../../extension/commands/trainPrior';
import { COMMANDS, type ActiveScanScore, NIFTI_SCAN, activateExtension, openInScanViewer, pngScan, screenshot, waitFor, workspaceUri } from './helpers';

/** A prior of a few thousand weights, ILTM and scoring with two samplings: seconds on the wasm backend. */
const TEST_PRIOR_SETTINGS = {
  'prior.dModel': 16,
  'prior.layers': 1,
  'prior.heads': 2,
  'prior.feedForward': 32,
  'prior.dropout': 0,
  'prior.epochs': 2,
  'scoring.prior.restorationSamples': 2,
  'scoring.prior.kdeSamplings': 2,
  'scoring.prior.kdeDropoutDecodes': 1,
};

suite('latent prior', () => {
  const modelDir = () => workspaceUri('.anomaly-models', 'train');
  const config = () => vscode.workspace.getConfiguration('vqAnomaly');
  const target = vscode.ConfigurationTarget.Workspace;
  const settings = { ...TEST_PRIOR_SETTINGS, activeModel: '.anomaly-models/train' };

  suiteSetup(async () => {
    for (const [key, value] of Object.entries(settings)) await config().update(key, value, target);
  });
  suiteTeardown(async () => {
    for (const key of Object.keys(settings)) await config().update(key, undefined, target);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  const trainPrior = (options: TrainPriorOptions) =>
    vscode.commands.executeCommand<TrainPriorResult | undefined>(COMMANDS.trainPrior, workspaceUri('train'), { modelDir: modelDir().fsPath, ...options });
  const readManifest = () => JSON.parse(readFileSync(vscode.Uri.joinPath(modelDir(), 'prior', 'manifest.json').fsPath, 'utf8')) as PriorManifest;

  test('with ILTM iterations, reports the masked tokens of each and records them in the prior’s manifest', async () => {
    const result = await trainPrior({ iltmIterations: 1 });
    assert.ok(result && !result.cancelled, `vqAnomaly.trainPrior returned ${JSON.stringify(result)}`);
    assert.equal(result.iltm?.length, 1, `ILTM iterations ${JSON.stringify(result.iltm)}`);
    const [iltm] = result.iltm;
    const tokens = result.sequences * 64; // the test model's 8 x 8 token grid (inputSize 32, two stride-2 levels)
    assert.ok(
      Number.isInteger(iltm.maskedTokens) && iltm.maskedTokens >= 0 && iltm.maskedTokens <= tokens,
      `ILTM masked ${iltm.maskedTokens} of ${tokens} tokens`,
    );
    assert.deepEqual(readManifest().iltm?.iterations, result.iltm);
  });

  test('trains a prior of the trained model on train/ and calibrates its thresholds', async () => {
    const result = await trainPrior({ iltmIterations: 0 });
    assert.ok(result, 'vqAnomaly.trainPrior returned no result');
    assert.equal(result.cancelled, false);
    assert.equal(result.modelDir, modelDir().fsPath);
    assert.equal(result.epochsCompleted, TEST_PRIOR_SETTINGS['prior.epochs']);
    assert.ok(result.sequences > 0, `trained on ${result.sequences} token sequences`);
    assert.ok(Number.isFinite(result.finalLoss) && result.finalLoss > 0, `final loss ${result.finalLoss}`);
    // Percentiles of per-token NLL: positive, and the 98th (lambda_s) at least the 90th (lambda_p).
    assert.ok(result.lambdaP > 0 && result.lambdaS >= result.lambdaP, `lambda_s ${result.lambdaS}, lambda_p ${result.lambdaP}`);
    assert.equal(result.iltm, undefined);

    const manifest = readManifest();
    assert.deepEqual(
      [manifest.config.dModel, manifest.config.layers, manifest.config.heads, manifest.config.attention],
      [16, 1, 2, 'causal'],
      'the manifest records the configured prior',
    );
    assert.equal(manifest.calibration?.lambdaS, result.lambdaS);
    assert.equal(manifest.iltm, undefined, 'the retrained prior keeps no ILTM record');
  });

  test('scoring an image adds the prior’s NLL, restoration and KDE maps and its LSR score', async () => {
    const result = await vscode.commands.executeCommand<ActiveScanScore | undefined>(COMMANDS.scoreActiveScan, workspaceUri(...pngScan().split('/')));
    assert.ok(result, 'vqAnomaly.scoreActiveScan returned no result');
    for (const map of ['nll', 'restoration', 'kde'] as const) assert.ok(result.maps.includes(map), `maps ${result.maps.join(', ')} lack ${map}`);
    assert.ok(result.priorScore !== undefined && Number.isFinite(result.priorScore) && result.priorScore >= 0, `prior score ${result.priorScore}`);
  });

  test('the NIfTI scan in the viewer gets the NLL map, and no restoration or KDE map when their samplings are 0', async () => {
    await config().update('scoring.prior.restorationSamples', 0, target);
    await config().update('scoring.prior.kdeSamplings', 0, target);
    const api = await activateExtension();
    const uri = await openInScanViewer(NIFTI_SCAN);
    // Opening the viewer scores the scan with the prior; the viewer still draws its overlay.
    await waitFor('the viewer to draw an overlay', () => api.renderReports(uri.toString()).find((r) => r.overlay !== 'none'), 120_000);

    const result = await vscode.commands.executeCommand<ActiveScanScore | undefined>(COMMANDS.scoreActiveScan, uri);
    assert.ok(result, 'vqAnomaly.scoreActiveScan returned no result');
    assert.ok(result.maps.includes('nll'), `maps ${result.maps.join(', ')} lack nll`);
    assert.ok(!result.maps.includes('restoration') && !result.maps.includes('kde'), `maps ${result.maps.join(', ')}`);
  });

  test('exports the NLL map of the NIfTI scan into the workspace', async () => {
    const folder = workspaceUri('anomaly-exports');
    const scan = workspaceUri(...NIFTI_SCAN.split('/'));
    const result = await vscode.commands.executeCommand<ExportMapsResult | undefined>(COMMANDS.exportOverlays, scan, { maps: ['nll'], folder });
    assert.ok(result, 'vqAnomaly.exportOverlays returned no result');
    assert.deepEqual(result.files, [join(folder.fsPath, 'patient26_FLAIR_nll.nii.gz')]);
    assert.ok(existsSync(result.files[0]), `${result.files[0]} was not written`);
  });

  test('fine-tunes the prior on train/ from its saved weights, keeping its architecture, and calibrates again', async () => {
    const before = readManifest();
    await config().update('prior.dModel', 32, target); // a fine-tune keeps the saved architecture
    const result = await vscode.commands.executeCommand<TrainPriorResult | undefined>(COMMANDS.fineTunePrior, workspaceUri('train'), {
      modelDir: modelDir().fsPath,
    });
    assert.ok(result && !result.cancelled, `vqAnomaly.fineTunePrior returned ${JSON.stringify(result)}`);
    assert.equal(result.epochsCompleted, TEST_PRIOR_SETTINGS['prior.epochs']);
    const after = readManifest();
    assert.equal(after.config.dModel, before.config.dModel);
    assert.notEqual(after.created, before.created, 'the fine-tuned prior was written anew');
    assert.equal(after.calibration?.lambdaS, result.lambdaS);
  });
});

/**
 * Screenshot runs only (`npm run screenshot` sets VQ_TEST_SHOWCASE): a prior of the default size,
 * trained a few minutes, and the FLAIR volume in the viewer with its NLL overlay, chosen as a user does
 * with the viewer's `m` key (the runner presses the keys the suite logs as `PRESS <key>`), saved as
 * docs/screenshots/scan-viewer-prior.png.
 */
if (process.env.VQ_TEST_SHOWCASE === '1') {
  suite('prior overlay screenshot', () => {
    const config = () => vscode.workspace.getConfiguration('vqAnomaly');
    const target = vscode.ConfigurationTarget.Workspace;
    /** About 20 s per epoch on 2 cores; the viewer scores with the model that has the prior, the NLL map only. */
    const showcaseSettings = {
      'prior.epochs': 8,
      'scoring.prior.restorationSamples': 0,
      'scoring.prior.kdeSamplings': 0,
      activeModel: '.anomaly-models/train',
    };

    suiteSetup(async () => {
      for (const [key, value] of Object.entries(showcaseSettings)) await config().update(key, value, target);
    });
    suiteTeardown(async () => {
      for (const key of Object.keys(showcaseSettings)) await config().update(key, undefined, target);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    });

    test('the FLAIR volume with the NLL overlay of a default-size prior (scan-viewer-prior.png)', async () => {
      const modelDir = workspaceUri('.anomaly-models', 'train').fsPath;
      const trained = await vscode.commands.executeCommand<TrainPriorResult | undefined>(COMMANDS.trainPrior, workspaceUri('train'), {
        modelDir,
        iltmIterations: 0,
      });
      assert.ok(trained && !trained.cancelled, `vqAnomaly.trainPrior returned ${JSON.stringify(trained)}`);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');

      const api = await activateExtension();
      const uri = await openInScanViewer(NIFTI_SCAN);
      const reports = () => api.renderReports(uri.toString());
      await waitFor('the viewer to draw the residual overlay', () => reports().find((r) => r.overlay === 'residual' && r.overlayPixels > 0), 180_000);
      for (let presses = 0; reports().at(-1)?.overlay !== 'nll'; presses++) {
        assert.ok(presses < 10, `the m key never chose the NLL overlay (now ${reports().at(-1)?.overlay})`);
        const drawn = reports().length;
        console.log('PRESS m');
        await waitFor('the viewer to draw the next overlay', () => (reports().length > drawn ? true : undefined), 15_000);
      }
      assert.ok(reports().at(-1)!.overlayPixels > 0, 'the NLL overlay is painted');
      await screenshot('scan-viewer-prior');
    });
  });
}
