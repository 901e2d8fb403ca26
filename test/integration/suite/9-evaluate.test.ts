// Used-by flow: Explorer → right-click a test.csv (or a labelled folder) → "Evaluate model on labelled
// folder" with the trained model: the report folder appears in the model's evaluations/, report.md opens
// in the Markdown preview and the metrics go to the log. The test set is the sample's FLAIR volume
// with its lesion mask, given as a CSV; the model and the pixel budget are passed as arguments so that
// no Quick Pick is needed and the metrics take seconds. When the prior test ran before, the model has a
// prior: only its NLL map is asked for (no restoration or KDE samplings), as in 6-prior.test.ts.
import * as assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import * as vscode from 'vscode';
import type { EvaluateCommandOptions } from '../../../extension/commands/evaluateModel';
import type { EvaluationReport } from '../../../models/evaluate/evaluationReport';
import type { EvaluateResult } from '../../../models/worker/protocol';
import { COMMANDS, NIFTI_SCAN, activateExtension, waitFor, workspaceUri } from './helpers';

const TEST_CSV = 'evaluate-test.csv';
const LESION_MASK = 'scans/patient26_lesion_mask.nii.gz';

/**
 * The lesion voxels (> 0.5) of each axial slice of an 8-bit NIfTI-1 mask whose sform is axis-aligned RAS
 * (the sample's: its z is the axial axis as stored), read from the bytes with no project code.
 */
function lesionVoxelsPerSlice(file: string): number[] {
  const bytes = gunzipSync(readFileSync(file));
  const [nx, ny, nz] = [bytes.readInt16LE(42), bytes.readInt16LE(44), bytes.readInt16LE(46)];
  assert.equal(bytes.readInt16LE(70), 2, 'an 8-bit mask');
  const offset = bytes.readFloatLE(108);
  return Array.from({ length: nz }, (_, z) => {
    let count = 0;
    for (let i = 0; i < nx * ny; i++) if (bytes[offset + z * nx * ny + i] > 0.5) count++;
    return count;
  });
}
const NO_SAMPLINGS = { 'scoring.prior.restorationSamples': 0, 'scoring.prior.kdeSamplings': 0 };

suite('evaluate model', () => {
  const modelDir = () => workspaceUri('.anomaly-models', 'train').fsPath;
  const config = () => vscode.workspace.getConfiguration('vqAnomaly');
  const target = vscode.ConfigurationTarget.Workspace;
  const evaluate = (testSet: vscode.Uri, options: EvaluateCommandOptions = {}) =>
    vscode.commands.executeCommand<EvaluateResult | undefined>(COMMANDS.evaluateModel, testSet, { model: modelDir(), maxPixels: 200_000, ...options });

  suiteSetup(async () => {
    for (const [key, value] of Object.entries(NO_SAMPLINGS)) await config().update(key, value, target);
    writeFileSync(workspaceUri(TEST_CSV).fsPath, `image,mask\n${NIFTI_SCAN},${LESION_MASK}\n`);
  });
  suiteTeardown(async () => {
    for (const key of Object.keys(NO_SAMPLINGS)) await config().update(key, undefined, target);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('evaluates the trained model on the labelled FLAIR volume: the report folder, the lesion voxels and slices of the mask counted, metrics in [0, 1], the report in the Markdown preview', async () => {
    const result = await evaluate(workspaceUri(TEST_CSV));
    assert.ok(result, 'vqAnomaly.evaluateModel returned no result');
    assert.equal(dirname(result.outDir), join(modelDir(), 'evaluations'));
    assert.match(result.outDir, /evaluate-test-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d$/);
    const written = readdirSync(result.outDir).sort();
    for (const file of ['report.json', 'report.md', 'pixel-roc.svg', 'pixel-pr.svg', 'sample-roc.svg', 'example-top-scoring.png', 'example-missed.png']) {
      assert.ok(written.includes(file), `${file} is missing from ${written.join(', ')}`);
    }

    const report = JSON.parse(readFileSync(join(result.outDir, 'report.json'), 'utf8')) as EvaluationReport;
    assert.equal(report.counts.scans, 1);
    assert.equal(report.counts.scansWithMask, 1);
    // The ground truth as the test reads it from the mask file itself: its lesion voxels, and the axial
    // slices with at least minLesionArea of them (the anomalous samples).
    const lesion = lesionVoxelsPerSlice(workspaceUri(LESION_MASK).fsPath);
    assert.equal(
      report.counts.anomalousPixels,
      lesion.reduce((sum, n) => sum + n, 0),
      'every lesion voxel of the mask, none more',
    );
    assert.equal(report.counts.anomalousSamples, lesion.filter((n) => n >= report.options.minLesionArea).length, 'the slices with a lesion');
    for (const [map, { pixel, sample }] of Object.entries(report.maps)) {
      const { bestDiceThreshold, inputCorrelation, diceAtThreshold, ...metrics } = { ...pixel, ...sample };
      for (const [name, value] of Object.entries(metrics)) {
        assert.ok(typeof value === 'number' && value >= 0 && value <= 1, `${map} ${name} = ${String(value)}`);
      }
      assert.ok(Math.abs(inputCorrelation) <= 1 + 1e-9 && diceAtThreshold === undefined, `${map} r = ${inputCorrelation}`);
    }
    const api = await activateExtension();
    assert.equal(api.lastEvaluation()?.summary.maps.residual.pixel.auroc, report.maps.residual.pixel.auroc, 'the pixel AUROC is the one in report.json');

    const preview = await waitFor(
      'report.md in the Markdown preview',
      () =>
        vscode.window.tabGroups.all
          .flatMap((group) => group.tabs)
          .find((tab) => tab.input instanceof vscode.TabInputWebview && tab.label.includes('report.md')),
      30_000,
    );
    assert.match((preview.input as vscode.TabInputWebview).viewType, /markdown\.preview/);
  });

  test('a folder without ground-truth masks gives no report', async () => {
    const before = readdirSync(join(modelDir(), 'evaluations')).length;
    const result = await evaluate(workspaceUri('train'));
    assert.equal(result, undefined);
    assert.equal(readdirSync(join(modelDir(), 'evaluations')).length, before, 'no report folder was written');
  });
});
