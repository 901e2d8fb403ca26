// The scan viewer's linked three-plane layout and label overlays in the real workbench, driven as a user
// drives them (keys, clicks in the panes, the overlay checkbox; extension API automateViewer): a click in
// one plane moves the other planes' slices to that voxel; the sample's expert lesion mask, offered
// beside the FLAIR, is outlined on its boundary in each plane; a mask of another grid is refused with a
// clear error; and the mask file itself opens as labels, never scored.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { readScan } from '../../../models/io/volume';
import type { RenderReport, ViewerAutomation } from '../../../webview/protocol';
import {
  COMMANDS,
  NIFTI_SCAN,
  OVERLAY_TIMEOUT_MS,
  actInViewer,
  activateExtension,
  openInScanViewer,
  pngScan,
  screenshot,
  waitFor,
  workspaceUri,
} from './helpers';

const STEP_TIMEOUT_MS = 20_000;
const MASK = 'scans/patient26_lesion_mask.nii.gz';
const MASK_NAME = 'patient26_lesion_mask.nii.gz';

type View = 'axial' | 'coronal' | 'sagittal';
type Voxel = [number, number, number];

/** Slice `index` of a view of an x-fastest grid, as the viewer lays it out: axial x across / y up, coronal x / z, sagittal y / z. */
function sliceOf(data: Float32Array, dims: readonly number[], view: View, index: number): { width: number; height: number; values: Float32Array } {
  const [across, up] = view === 'axial' ? [0, 1] : view === 'coronal' ? [0, 2] : [1, 2];
  const normal = 3 - across - up;
  const [width, height] = [dims[across], dims[up]];
  const values = new Float32Array(width * height);
  for (let row = 0; row < height; row++) {
    for (let col = 0; col < width; col++) {
      const voxel = [0, 0, 0];
      [voxel[normal], voxel[across], voxel[up]] = [index, col, row];
      values[row * width + col] = data[voxel[0] + dims[0] * (voxel[1] + dims[1] * voxel[2])];
    }
  }
  return { width, height, values };
}

/** The boundary of a 0/1 mask slice, as slice offsets: mask pixels with a 4-neighbour outside the mask or the slice. */
function maskBoundary({ width, height, values }: ReturnType<typeof sliceOf>): number[] {
  const inside = (x: number, y: number) => x >= 0 && y >= 0 && x < width && y < height && values[y * width + x] !== 0;
  const boundary: number[] = [];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (inside(x, y) && !(inside(x - 1, y) && inside(x + 1, y) && inside(x, y - 1) && inside(x, y + 1))) boundary.push(y * width + x);
    }
  }
  return boundary;
}

suite('linked planes and label overlays', () => {
  suiteTeardown(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  /**
   * Opens `relative` in a new viewer (closing every editor first: a viewer that was hidden reloads its page,
   * which would miss the actions sent before it is ready) and waits for its residual overlay; returns its URI string.
   */
  async function openScored(relative = NIFTI_SCAN): Promise<string> {
    const api = await activateExtension();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const uri = (await openInScanViewer(relative)).toString();
    await waitFor('the residual overlay', () => api.renderReports(uri).find((r) => r.overlay === 'residual'), OVERLAY_TIMEOUT_MS);
    return uri;
  }

  const act = (uri: string, actions: ViewerAutomation[], what: string, done: (r: RenderReport) => boolean) =>
    actInViewer(uri, actions, what, done, STEP_TIMEOUT_MS);

  const click = (pane: number, voxel: Voxel): ViewerAutomation => ({ kind: 'click', pane, voxel });
  const at = (voxel: Voxel) => (r: RenderReport) => r.crosshair.join() === voxel.join();
  const slices = (r: RenderReport) => r.panes.map((p) => `${p.view} ${p.slice}`);

  test('three planes share the crosshair: a click in the axial pane at (x, y) shows coronal slice y and sagittal slice x', async () => {
    const uri = await openScored();
    const planes = await act(
      uri,
      [
        { kind: 'input', control: 'layout', value: 'single' },
        { kind: 'key', key: 'l' },
      ],
      'three planes',
      (r) => r.layout === 'planes',
    );
    const z = planes.crosshair[2];
    const axialClick = await act(uri, [click(0, [60, 130, z])], 'the crosshair at x 60, y 130', at([60, 130, z]));
    assert.deepEqual(slices(axialClick), [`axial ${z}`, 'coronal 130', 'sagittal 60']);
    assert.ok(axialClick.panes.every((p) => p.base === 'scan'));
    // A click in the sagittal pane (y across, z up) at y 100, z 50 keeps x 60: the axial pane shows z 50, the coronal y 100.
    const sagittalClick = await act(uri, [click(2, [60, 100, 50])], 'the crosshair at y 100, z 50', at([60, 100, 50]));
    assert.deepEqual(slices(sagittalClick), ['axial 50', 'coronal 100', 'sagittal 60']);
    const single = await act(uri, [{ kind: 'key', key: 'l' }], 'one plane again', (r) => r.layout === 'single');
    assert.equal(single.panes.length, 1);
  });

  test('a 2D image has one plane: l leaves it as it is', async () => {
    const uri = await openScored(pngScan());
    // l, then o (overlay off) to get a render after it.
    const after = await act(
      uri,
      [
        { kind: 'key', key: 'l' },
        { kind: 'key', key: 'o' },
      ],
      'the overlay off',
      (r) => r.overlay === 'none',
    );
    assert.deepEqual([after.layout, after.panes.length], ['single', 1]);
    await act(uri, [{ kind: 'key', key: 'o' }], 'the overlay on again', (r) => r.overlay === 'residual');
  });

  test('the expert lesion mask beside the FLAIR is offered; its outline drawn in each plane is the mask boundary on that slice', async () => {
    const uri = await openScored();
    const { data, dims } = await readScan(workspaceUri(...MASK.split('/')).fsPath);
    // A lesion voxel: the first of the mask's most lesioned axial slice.
    const perSlice = Array.from({ length: dims[2] }, (_, z) => sliceOf(data, dims, 'axial', z).values.reduce((n, v) => n + (v ? 1 : 0), 0));
    const z = perSlice.indexOf(Math.max(...perSlice));
    const inSlice = sliceOf(data, dims, 'axial', z).values.findIndex((v) => v !== 0);
    const lesion: Voxel = [inSlice % dims[0], Math.floor(inSlice / dims[0]), z];
    const shown = await act(
      uri,
      [
        { kind: 'input', control: 'layout', value: 'planes' },
        { kind: 'input', control: 'labelStyle', value: 'outline' },
        { kind: 'check', control: 'labels', checked: true },
      ],
      'the expert mask drawn',
      (r) => r.labels?.name === MASK_NAME && r.layout === 'planes',
    );
    assert.deepEqual(shown.labels, { name: MASK_NAME, kind: 'labels', style: 'outline' });
    // The axial click sets x and y in the axial slice shown; the coronal click (now in slice y) sets x and z.
    await act(uri, [click(0, lesion)], 'the crosshair at the lesion x, y', at([lesion[0], lesion[1], shown.crosshair[2]]));
    const onLesion = await act(uri, [click(1, lesion)], 'the crosshair on the lesion voxel', at(lesion));
    for (const pane of onLesion.panes) {
      const expected = maskBoundary(sliceOf(data, dims, pane.view, pane.slice));
      assert.ok(expected.length > 0, `the mask crosses ${pane.view} slice ${pane.slice}`);
      assert.deepEqual(pane.labelOutline, expected, `${pane.view} slice ${pane.slice}: the outline drawn is the mask's boundary`);
    }
    await screenshot('scan-viewer-planes');
    const fill = await act(uri, [{ kind: 'input', control: 'labelStyle', value: 'fill' }], 'the mask filled', (r) => r.labels?.style === 'fill');
    const axial = sliceOf(data, dims, 'axial', fill.panes[0].slice).values.reduce((n, v) => n + (v ? 1 : 0), 0);
    assert.equal(fill.panes[0].labelPixels, axial, 'filled: every mask pixel of the axial slice is tinted');
    assert.deepEqual(fill.panes[0].labelOutline, []);
    const hidden = await act(uri, [{ kind: 'check', control: 'labels', checked: false }], 'the mask hidden', (r) => r.labels === null);
    assert.ok(hidden.panes.every((p) => p.labelPixels === 0));
  });

  test('a file of another grid is refused with the reason; the mask file itself is shown as labels and not scored', async () => {
    const api = await activateExtension();
    const scanUri = await openScored();
    const drawn = await vscode.commands.executeCommand<boolean>(COMMANDS.openOverlay, vscode.Uri.parse(scanUri), workspaceUri(...pngScan().split('/')));
    assert.equal(drawn, false);
    const page = await waitFor('the grid error', () => [api.viewerPage(scanUri)].find((p) => p && p.error !== ''), STEP_TIMEOUT_MS);
    assert.match(page.error, /voxels but the scan patient26_FLAIR\.nii\.gz is 182x218x121: an overlay must have the scan's voxels/);
    assert.deepEqual([page.scoreEnabled, page.scoreNote], [true, ''], 'a scan can be scored');

    const maskUri = (await openInScanViewer(MASK)).toString();
    const labels = await waitFor('the mask as labels', () => api.renderReports(maskUri).find((r) => r.labels?.name === MASK_NAME), OVERLAY_TIMEOUT_MS);
    assert.deepEqual(labels.labels, { name: MASK_NAME, kind: 'labels', style: 'fill' });
    const maskPage = await waitFor('the mask page', () => [api.viewerPage(maskUri)].find((p) => p?.title === MASK_NAME), STEP_TIMEOUT_MS);
    assert.equal(maskPage.scoreEnabled, false);
    assert.match(maskPage.scoreNote, /is a mask by the project's file naming conventions/);
    const scored = await vscode.commands.executeCommand(COMMANDS.scoreActiveScan, vscode.Uri.parse(maskUri));
    assert.equal(scored, undefined, 'Score active scan refuses a mask');
    assert.ok(
      api.renderReports(maskUri).every((r) => r.overlay === 'none'),
      'no anomaly map was drawn over the mask',
    );
  });
});
