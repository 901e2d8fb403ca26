// Used-by flow: Command Palette → "Score active scan" and "Score folder".
import * as assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { gunzipSync } from 'node:zlib';
import * as vscode from 'vscode';
import { encodeGrayPng } from '../../../models/io/image2d';
import type { ModelManifest } from '../../../models/vqvae/checkpoint';
import type { ScoreFolderResult } from '../../../models/worker/protocol';
import { COMMANDS, type ActiveScanScore, NIFTI_SCAN, activateExtension, openInScanViewer, pngScan, scanFileNames, workspaceUri } from './helpers';

/** Number of axial slices of a .nii.gz volume: dim[3] of its NIfTI-1 header (int16 at byte 46, little-endian). */
function niftiSliceCount(file: string): number {
  const header = gunzipSync(readFileSync(file)).subarray(0, 348);
  assert.equal(header.readInt32LE(0), 348, `${file} is not a little-endian NIfTI-1 file`);
  return header.readInt16LE(46);
}

suite('palette scoring', () => {
  suiteTeardown(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  test('scores the scan in the active scan viewer', async () => {
    const uri = await openInScanViewer(NIFTI_SCAN);
    const result = await vscode.commands.executeCommand<ActiveScanScore | undefined>(COMMANDS.scoreActiveScan);

    assert.ok(result, 'vqAnomaly.scoreActiveScan returned no result');
    assert.equal(result.file, uri.fsPath);
    assert.ok(Number.isFinite(result.score) && result.score >= 0, `score ${result.score}`);
    assert.equal(result.sliceScores.length, niftiSliceCount(uri.fsPath), 'one score per axial slice');
    assert.ok(result.sliceScores.every(Number.isFinite), 'every slice score is a number');
  });

  test('warns when the scan does not look like the training data', async () => {
    // A texture that fills the whole image, unlike the brain slices the test model was trained on.
    const uri = workspaceUri('unlike', 'texture.png');
    const texture = Float32Array.from({ length: 64 * 64 }, (_, i) => 0.3 + (0.7 * ((i * 7919) % 97)) / 96);
    mkdirSync(dirname(uri.fsPath), { recursive: true });
    writeFileSync(uri.fsPath, encodeGrayPng(texture, 64, 64));
    try {
      const unlike = await vscode.commands.executeCommand<ActiveScanScore | undefined>(COMMANDS.scoreActiveScan, uri);
      assert.ok(unlike, 'vqAnomaly.scoreActiveScan returned no result');
      assert.ok(
        unlike.warnings.some((w) => /^its foreground covers (9\d|100) % of a slice, against \d+ %-\d+ % in the training data/.test(w)),
        `warnings: ${JSON.stringify(unlike.warnings)}`,
      );
      const like = await vscode.commands.executeCommand<ActiveScanScore | undefined>(COMMANDS.scoreActiveScan, workspaceUri(...pngScan().split('/')));
      assert.deepEqual(like?.warnings, [], 'a slice like the training slices gets no warning');
    } finally {
      rmSync(dirname(uri.fsPath), { recursive: true, force: true });
    }
  });

  test('scores every scan of a folder, most anomalous first', async () => {
    const result = await vscode.commands.executeCommand<ScoreFolderResult>(COMMANDS.scoreFolder, workspaceUri('scans'));

    // Ground-truth masks lie beside the scans (named *mask*): listed as skipped, never scored.
    const isMask = (name: string) => /mask/i.test(name);
    const names = (entries: { file: string }[]) => entries.map((e) => basename(e.file)).sort();
    assert.deepEqual(
      names(result.scores),
      scanFileNames().filter((n) => !isMask(n)),
      'one score per scan',
    );
    assert.deepEqual(names(result.skipped), scanFileNames().filter(isMask), 'the masks are skipped');
    for (const { file, score } of result.scores) assert.ok(Number.isFinite(score), `score of ${file}: ${score}`);
    // scans/ holds a volume and slices of it as PNG images: their scores are not comparable, so the volume ranks apart, first.
    for (const { file, kind } of result.scores) assert.equal(kind, file.endsWith('.nii.gz') ? 'volume' : 'image', file);
    assert.deepEqual(
      result.scores.map((s) => s.kind),
      [...result.scores.filter((s) => s.kind === 'volume'), ...result.scores.filter((s) => s.kind === 'image')].map((s) => s.kind),
      'volumes first, then images',
    );
    for (let i = 1; i < result.scores.length; i++) {
      if (result.scores[i - 1].kind !== result.scores[i].kind) continue;
      assert.ok(result.scores[i - 1].score >= result.scores[i].score, `most anomalous first within its kind at position ${i}`);
    }
    // Each image's score against the model's normal range: the scores of its validation images (10 % of
    // train/, held out by file), kept in the manifest with the post-processing they were scored with.
    const manifest = JSON.parse(readFileSync(workspaceUri('.anomaly-models', 'train', 'manifest.json').fsPath, 'utf8')) as ModelManifest;
    const normal = manifest.normalScores?.image?.scores ?? [];
    assert.equal(normal.length, manifest.training.validationImages, 'one normal score per validation image');
    for (const { file, kind, score, normalRank } of result.scores) {
      if (kind === 'volume') assert.equal(normalRank, undefined, 'no normal volumes to rank a volume against');
      else assert.deepEqual(normalRank, { percentile: (100 * normal.filter((n) => n <= score).length) / normal.length, count: normal.length }, file);
    }
    assert.deepEqual((await activateExtension()).lastFolderScores(), result, 'the extension keeps the last folder scores');
  });
});
