// Used-by flow: Explorer → right-click a folder of normal images → "Train anomaly model".
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import * as vscode from 'vscode';
import { MAX_WASM_THREADS } from '../../../models/runtime/wasmThreadCount';
import type { ModelManifest } from '../../../models/vqvae/checkpoint';
import type { TrainResult } from '../../../models/worker/protocol';
import { type ActiveScanScore, COMMANDS, TEST_BACKEND, TEST_MODEL, TEST_TRAINING, activateExtension, pngScan, useTestSettings, workspaceUri } from './helpers';

suite('train on a folder', () => {
  suiteSetup(useTestSettings);
  suiteTeardown(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  test('trains the configured epochs on train/ in the worker and writes the model folder', async () => {
    const lag = watchEventLoopLag();
    const result = await vscode.commands.executeCommand<TrainResult | undefined>(COMMANDS.trainOnFolder, workspaceUri('train'));
    const maxLagMs = lag.stop();
    // Training runs in the worker process: the extension host's event loop is never blocked for long
    // (a freeze would show as a gap of seconds; this bound only catches that, it is no speed goal).
    assert.ok(maxLagMs < FREEZE_MS, `the extension host's event loop was blocked for ${maxLagMs} ms during training`);

    assert.ok(result, 'vqAnomaly.trainOnFolder returned no result');
    assert.equal(result.cancelled, false);
    assert.ok(result.images > 0, `trained on ${result.images} images`);
    assert.ok(Number.isFinite(result.finalLoss) && result.finalLoss > 0, `final loss ${result.finalLoss}`);
    const modelDir = workspaceUri('.anomaly-models', 'train');
    assert.equal(result.modelDir, modelDir.fsPath);

    const manifestFile = vscode.Uri.joinPath(modelDir, 'manifest.json').fsPath;
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as ModelManifest;
    assert.deepEqual(pick(manifest.config, Object.keys(TEST_MODEL)), TEST_MODEL, 'the manifest records the configured model');
    // The configured epochs, or more when the workspace's minimum of optimizer steps asks for them (the showcase: the sample's 600).
    const { minSteps = 0, trainImages = 0, batchSize } = manifest.training;
    const epochs = Math.max(TEST_TRAINING.epochs, Math.ceil(minSteps / Math.ceil(trainImages / batchSize)));
    assert.equal(result.epochsCompleted, epochs);
    assert.equal(manifest.training.epochsCompleted, epochs);
    assert.equal(manifest.backend, TEST_BACKEND);
  });

  test('the backend setting decides where the worker runs: cpu when set to cpu, then wasm again, on one thread per core (vqAnomaly.wasmThreads 0)', async () => {
    const api = await activateExtension();
    assert.equal(api.backend()?.name, TEST_BACKEND, 'the training ran on the configured backend');
    const config = vscode.workspace.getConfiguration('vqAnomaly');
    const scan = workspaceUri(...pngScan().split('/'));
    try {
      await config.update('backend', 'cpu', vscode.ConfigurationTarget.Workspace);
      const onCpu = await vscode.commands.executeCommand<ActiveScanScore | undefined>(COMMANDS.scoreActiveScan, scan);
      assert.equal(api.backend()?.name, 'cpu', 'a new worker on the backend the setting now names');
      assert.ok(onCpu, 'scored on cpu');
    } finally {
      await config.update('backend', TEST_BACKEND, vscode.ConfigurationTarget.Workspace);
    }
    const onWasm = await vscode.commands.executeCommand<ActiveScanScore | undefined>(COMMANDS.scoreActiveScan, scan);
    assert.equal(api.backend()?.name, TEST_BACKEND);
    assert.ok(onWasm);
    assert.equal(api.backend()?.threads, Math.min(availableParallelism(), MAX_WASM_THREADS));
  });
});

/** A gap of the extension host's event loop this long would be a visible freeze. */
const FREEZE_MS = 2000;

/** Measures the longest gap between 50 ms timer ticks until stop() (the event loop's worst blocking). */
function watchEventLoopLag(): { stop(): number } {
  let last = Date.now();
  let max = 0;
  const timer = setInterval(() => {
    const now = Date.now();
    max = Math.max(max, now - last - 50);
    last = now;
  }, 50);
  return {
    stop() {
      clearInterval(timer);
      return max;
    },
  };
}

/** The named fields of an object, to compare a part of it. */
function pick(object: object, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((key) => [key, (object as Record<string, unknown>)[key]]));
}
