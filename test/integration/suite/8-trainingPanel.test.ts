// Used-by flow: a training opens the live panel "Training <folder>" beside the editor, with the loss of
// every step, the validation loss of every epoch and the outcome; its Cancel button stops the training,
// which keeps its last checkpoint. The first test reopens the panel of the train test's training (in
// screenshot runs, the sample workspace's full training); the second fine-tunes into a fresh folder.
import * as assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { TrainingPanelReport } from '../../../extension/trainingPanel/trainingPanels';
import type { ModelManifest } from '../../../models/vqvae/checkpoint';
import type { TrainResult } from '../../../models/worker/protocol';
import { COMMANDS, activateExtension, screenshot, waitFor, workspaceUri } from './helpers';

const TITLE = 'Training train';
/** Epochs of the fine-tune that the test cancels: far more than it gets to. */
const CANCELLED_EPOCHS = 50;
const TRAINING_TIMEOUT_MS = 180_000;

suite('training panel', () => {
  const trainingConfig = () => vscode.workspace.getConfiguration('vqAnomaly.training');
  const fineTuned = () => workspaceUri('.anomaly-models', 'train-finetuned').fsPath;
  const saved = { epochs: undefined as unknown, earlyStoppingPatience: undefined as unknown };
  suiteSetup(() => {
    saved.epochs = trainingConfig().inspect('epochs')?.workspaceValue;
    saved.earlyStoppingPatience = trainingConfig().inspect('earlyStoppingPatience')?.workspaceValue;
  });
  suiteTeardown(async () => {
    await trainingConfig().update('epochs', saved.epochs, vscode.ConfigurationTarget.Workspace);
    await trainingConfig().update('earlyStoppingPatience', saved.earlyStoppingPatience, vscode.ConfigurationTarget.Workspace);
    rmSync(fineTuned(), { recursive: true, force: true });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('the panel of the finished training shows every step, one validation point per epoch, and "Finished"', async () => {
    const api = await activateExtension();
    const index = api.trainingPanelReports().findIndex((r) => r.title === TITLE);
    assert.ok(index >= 0, `no training panel titled "${TITLE}": ${JSON.stringify(api.trainingPanelReports())}`);
    assert.ok(api.showTrainingPanel(index));
    // Reopened, the page draws the whole run from the host's data.
    const report = await waitFor(
      'the reopened training panel to draw the finished run',
      () => {
        const r = api.trainingPanelReports()[index];
        return r.open && r.drawn?.statusText.startsWith('Finished') ? r : undefined;
      },
      30_000,
    );
    const drawn = report.drawn!;
    assert.equal(report.outcome, 'finished');
    const manifest = readManifest(workspaceUri('.anomaly-models', 'train').fsPath);
    // (Later tests may fine-tune this model, but into another folder: train/ holds the train test's epochs.)
    assert.equal(report.epochsReported, manifest.training.epochsCompleted, 'one epoch end per trained epoch');
    assert.equal(report.stepsReported, report.epochsReported * report.stepsPerEpoch!, 'one progress event per step');
    assert.equal(drawn.lossPoints, report.stepsReported, 'the loss curve has a point per step');
    assert.ok(drawn.drawnLossVertices > 0 && drawn.drawnLossVertices <= drawn.lossPoints);
    assert.equal(drawn.validationPoints, manifest.training.epochsCompleted, 'one validation point per epoch');
    assert.equal(drawn.epochMarkers, manifest.training.epochsCompleted);
    assert.ok(drawn.epochLabels >= 1 && drawn.epochLabels <= drawn.epochMarkers, `${drawn.epochLabels} epoch labels`);
    assert.ok(drawn.paintedPixels > 0, 'the chart is not empty');
    await vscode.commands.executeCommand('notifications.clearAll'); // the trainings' toasts would cover the chart
    await screenshot('training-panel');
  });

  test('Cancel in the panel stops a fine-tune after its first epoch, and the model folder keeps the last checkpoint', async () => {
    const api = await activateExtension();
    await trainingConfig().update('epochs', CANCELLED_EPOCHS, vscode.ConfigurationTarget.Workspace);
    await trainingConfig().update('earlyStoppingPatience', 0, vscode.ConfigurationTarget.Workspace);
    const index = api.trainingPanelReports().length;
    const model = workspaceUri('.anomaly-models', 'train').fsPath;
    const training = vscode.commands.executeCommand<TrainResult | undefined>(COMMANDS.fineTuneModel, workspaceUri('train'), model);
    const afterFirstEpoch = await waitFor(
      'the new training panel to draw the first epoch',
      () => {
        const r = api.trainingPanelReports().at(index);
        return r?.drawn && r.drawn.validationPoints >= 1 ? r : undefined;
      },
      TRAINING_TIMEOUT_MS,
    );
    assert.equal(afterFirstEpoch.title, TITLE);
    assert.ok(afterFirstEpoch.open && afterFirstEpoch.visible, 'the panel opened beside the editor');
    assert.equal(afterFirstEpoch.outcome, undefined, 'still running');

    assert.ok(api.pressTrainingPanelCancel(TITLE), 'the panel of the running training took the press');
    const result = await training;
    assert.ok(result === undefined || result.cancelled, `the fine-tune was not cancelled: ${JSON.stringify(result)}`);
    const ended = await waitFor(
      'the panel to show the cancel',
      () => {
        const r = api.trainingPanelReports()[index];
        return r.drawn?.statusText.startsWith('Cancelled') ? r : undefined;
      },
      30_000,
    );
    const epochsKept = readManifest(fineTuned()).training.epochsCompleted;
    assert.ok(epochsKept >= 1 && epochsKept < CANCELLED_EPOCHS, `the checkpoint holds ${epochsKept} epochs`);
    assertEnded(ended, 'cancelled');
    assert.match(ended.drawn!.statusText, new RegExp(`^Cancelled \\(last checkpoint kept\\): .*kept: ${epochsKept} of ${CANCELLED_EPOCHS} epochs`));
    assert.equal(ended.drawn!.validationPoints, epochsKept, 'one validation point per checkpointed epoch');
  });

  test('a training that never starts (an empty folder) opens no training panel', async () => {
    const api = await activateExtension();
    const empty = workspaceUri('empty-training-folder');
    mkdirSync(empty.fsPath, { recursive: true });
    try {
      const index = api.trainingPanelReports().length;
      const result = await vscode.commands.executeCommand<TrainResult | undefined>(COMMANDS.trainOnFolder, empty);
      assert.equal(result, undefined, 'nothing to train on');
      const report = api.trainingPanelReports().at(index);
      assert.equal(report?.outcome, 'failed');
      assert.equal(report.open, false, 'the failed start opened no panel');
      assert.equal(report.stepsReported, 0);
    } finally {
      rmSync(empty.fsPath, { recursive: true, force: true });
      rmSync(workspaceUri('.anomaly-models', 'empty-training-folder').fsPath, { recursive: true, force: true });
    }
  });
});

function readManifest(modelDir: string): ModelManifest {
  return JSON.parse(readFileSync(join(modelDir, 'manifest.json'), 'utf8')) as ModelManifest;
}

/** The run ended with `outcome`, and the page drew every step it received. */
function assertEnded(report: TrainingPanelReport, outcome: TrainingPanelReport['outcome']): void {
  assert.equal(report.outcome, outcome);
  assert.equal(report.drawn?.lossPoints, report.stepsReported, 'the loss curve has a point per step received');
}
