// What the integration tests share: the extension's API, the workspace, the small
// model settings that train in seconds, polling, and screenshots.
import * as assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import * as vscode from 'vscode';
import { IMAGE_SCAN_VIEWER, SCAN_VIEWER } from '../../../extension/commandIds';
import type { ExtensionApi } from '../../../extension/extension';
import type { RenderReport, ViewerAutomation } from '../../../webview/protocol';

export type { ActiveScanScore } from '../../../extension/commands/scoreActiveScan';

export { COMMANDS } from '../../../extension/commandIds';
export const EXTENSION_ID = 'vq-anomaly.vq-anomaly-review';

export async function activateExtension(): Promise<ExtensionApi> {
  const extension = vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not installed in this VS Code`);
  return extension.activate();
}

export function workspaceUri(...relative: string[]): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('The integration tests need a workspace folder (the sample workspace copy)');
  return vscode.Uri.joinPath(folder.uri, ...relative);
}

/**
 * Screenshot runs (runCodeServer --screenshots sets VQ_TEST_SHOWCASE) train the default model as the
 * sample workspace's settings do (sample/.vscode/settings.json: the flair-brain recipe, 600+ steps),
 * so that the pictures show what a user sees (about 4 minutes on 2 cores).
 */
const SHOWCASE = process.env.VQ_TEST_SHOWCASE === '1';
/** Otherwise a model small enough to train for 2 epochs on the sample in well under a minute (wasm backend). */
export const TEST_MODEL = SHOWCASE ? {} : { inputSize: 32, channels: [8, 16], residualBlocks: 1, codebookSize: 32, codebookDim: 16 };
// The short run leaves out the sample's minimum of 600 steps (sample/.vscode/settings.json); the showcase trains as the demo does.
export const TEST_TRAINING = SHOWCASE ? { epochs: 40, batchSize: 8, earlyStoppingPatience: 0 } : { epochs: 2, batchSize: 8, minSteps: 0 };
/** Forced rather than 'auto' so that the run is the same on machines with a GPU. */
export const TEST_BACKEND = 'wasm';

/** Writes the test model, training and backend into the workspace settings (vqAnomaly.*). */
export async function useTestSettings(): Promise<void> {
  const config = vscode.workspace.getConfiguration('vqAnomaly');
  const target = vscode.ConfigurationTarget.Workspace;
  await config.update('backend', TEST_BACKEND, target);
  for (const [key, value] of Object.entries(TEST_MODEL)) await config.update(`model.${key}`, value, target);
  for (const [key, value] of Object.entries(TEST_TRAINING)) await config.update(`training.${key}`, value, target);
}

/** Polls `probe` every 250 ms until it returns a value; fails naming `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await sleep(250);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Asks the runner (runCodeServer.ts --screenshots) to save the workbench as <name>.png, and holds still while it does. */
export async function screenshot(name: string): Promise<void> {
  console.log(`SCREENSHOT ${name}`);
  await sleep(2000);
}

export const NIFTI_SCAN = 'scans/patient26_FLAIR.nii.gz';

/** The scans of the sample's scans/ folder (NIfTI and 2D images), by file name, sorted. */
export function scanFileNames(): string[] {
  return readdirSync(workspaceUri('scans').fsPath)
    .filter((name) => /\.(nii|nii\.gz|png|jpe?g)$/i.test(name))
    .sort();
}

/** The first PNG of the sample's scans/ folder, relative to the workspace. */
export function pngScan(): string {
  const png = scanFileNames().find((name) => name.endsWith('.png'));
  if (!png) throw new Error('The sample workspace has no PNG in scans/');
  return `scans/${png}`;
}

/**
 * Opens a workspace file in the extension's scan viewer, as a user does: NIfTI with its default editor,
 * images with "Open With… → VQ Anomaly Scan Viewer". It becomes the active editor.
 */
export async function openInScanViewer(relative: string): Promise<vscode.Uri> {
  const uri = workspaceUri(...relative.split('/'));
  const viewType = /\.nii(\.gz)?$/i.test(relative) ? SCAN_VIEWER : IMAGE_SCAN_VIEWER;
  await vscode.commands.executeCommand('vscode.openWith', uri, viewType);
  return uri;
}

/** How long a scan viewer may take to score a scan and draw its overlay. */
export const OVERLAY_TIMEOUT_MS = 120_000;

/** Opens the sample's NIfTI scan in the scan viewer and waits for its residual overlay; returns the document's URI string. */
export async function openScoredScan(): Promise<string> {
  const api = await activateExtension();
  const uri = (await openInScanViewer(NIFTI_SCAN)).toString();
  await waitFor('the residual overlay', () => api.renderReports(uri).find((r) => r.overlay === 'residual' && r.overlayPixels > 0), OVERLAY_TIMEOUT_MS);
  return uri;
}

/** Performs the actions in the viewer's page, then waits up to `timeoutMs` for its newest render report to satisfy `done`. */
export async function actInViewer(
  uri: string,
  actions: ViewerAutomation[],
  what: string,
  done: (r: RenderReport) => boolean,
  timeoutMs: number,
): Promise<RenderReport> {
  const api = await activateExtension();
  for (const action of actions) assert.ok(api.automateViewer(uri, action), 'the viewer is open');
  return waitFor(what, () => [api.renderReports(uri).at(-1)].find((r) => r !== undefined && done(r)), timeoutMs);
}
