// Used-by flow: open a scan → the scan viewer shows it and, with a trained model, the residual overlay.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RenderReport } from '../../../webview/protocol';
import { NIFTI_SCAN, activateExtension, openInScanViewer, pngScan, screenshot, waitFor } from './helpers';

const OVERLAY_TIMEOUT_MS = 120_000;

suite('scan viewer', () => {
  suiteTeardown(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  async function expectResidualOverlay(relative: string): Promise<RenderReport> {
    const api = await activateExtension();
    const uri = await openInScanViewer(relative);
    const painted = (r: RenderReport) => r.overlay === 'residual' && r.overlayPixels > 0;
    const report = await waitFor(
      `the scan viewer of ${relative} to paint the residual overlay`,
      () => api.renderReports(uri.toString()).find(painted),
      OVERLAY_TIMEOUT_MS,
    );
    assert.ok(report.imagePixels > 0, 'the scan itself was drawn');
    assert.ok(report.opacity > 0, 'the overlay is visible');
    return report;
  }

  test('opens a NIfTI volume, scores it and paints the residual overlay', async () => {
    await expectResidualOverlay(NIFTI_SCAN);
    await screenshot('scan-viewer');
  });

  test('the raw maps, one click away, cover more of the brain than the post-processed ones on the same slice', async () => {
    const api = await activateExtension();
    const post = await expectResidualOverlay(NIFTI_SCAN);
    assert.equal(post.postProcessed, true, 'post-processed by default');
    const uri = (await openInScanViewer(NIFTI_SCAN)).toString();
    await api.setRawMaps(uri, true);
    const raw = await waitFor(
      'the viewer to paint the raw residual',
      () =>
        api
          .renderReports(uri)
          .find((r) => !r.postProcessed && r.overlay === 'residual' && r.view === post.view && r.slice === post.slice && r.overlayPixels > 0),
      OVERLAY_TIMEOUT_MS,
    );
    // Raw: the residual is nonzero over the whole brain; post-processed: only where the FLAIR is bright and above its reconstruction.
    assert.ok(raw.overlayPixels > post.overlayPixels, `raw ${raw.overlayPixels} px vs post-processed ${post.overlayPixels} px`);
    await api.setRawMaps(uri, false);
    await waitFor('the post-processed maps back', () => api.renderReports(uri).at(-1)?.postProcessed === true || undefined, OVERLAY_TIMEOUT_MS);
  });

  test('opens a PNG image, scores it and paints the residual overlay', async () => {
    const report = await expectResidualOverlay(pngScan());
    assert.equal(report.slice, 0, 'a 2D image has one slice');
    await screenshot('scan-viewer-png');
  });
});
