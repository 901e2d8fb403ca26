// One scan file open in the scan viewer, shared by all of its viewer panels (split editors). It asks
// the model worker for the decoded scan and for its anomaly maps, and for a label mask or second volume
// to draw over it (checked to be in the scan's grid), keeps them for webviews that reload (they are not
// retained while hidden), and posts them to every panel. A file that is a mask by the project's
// conventions is shown as labels and never scored. The host itself decodes and
// computes nothing; it keeps the maps quantized to 16 bits (overlaysMessage.ts), not the worker's float32.

import { COMMANDS } from '../commandIds';
import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { CountProgress, ScanScore } from '../../models/worker/protocol';
import type { HostToWebview, PageReport, RenderReport, ViewerAutomation } from '../../webview/protocol';
import { NO_MODEL_MESSAGE, NoModelError } from '../modelLocator';
import { SETTINGS_SECTION, readSettings } from '../settings';
import type { WorkerClient } from '../workerClient';
import { CancelledError } from '../workerErrors';
import { maskFileNote } from '../../webview/labelLayer';
import { overlayGridProblem } from './overlayGrid';
import { overlaysMessage, type OverlaysMessage } from './overlaysMessage';
import { withoutAbsolutePaths } from './webviewText';

type ScanMessage = Extract<HostToWebview, { type: 'scan' }>;
type LabelOverlayMessage = Extract<HostToWebview, { type: 'labelOverlay' }>;
/** The decoded scan, as posted, with the path of its mask by the conventions (the page gets only its name). */
type ReadScan = { message: ScanMessage; maskPath?: string };

/** What a scan document needs from the rest of the extension. */
export interface ScanServices {
  client: WorkerClient;
  log: vscode.LogOutputChannel;
  /** The model that scores `uri`; throws NoModelError when there is none. */
  activeModelFor(uri: vscode.Uri): Promise<string>;
}

export interface ScoringOptions {
  token?: vscode.CancellationToken;
  onProgress?: (progress: CountProgress) => void;
  /** False skips the prior's sampled maps (restoration, KDE): minutes on a whole volume. Default true. */
  sampledPriorMaps?: boolean;
}

export const NO_MODEL_STATUS = 'No model yet — train one first (right-click a folder → Train anomaly model).';
const RESTRICTED_STATUS = 'Scoring is off in Restricted Mode: trust this workspace to score scans.';
const scoredStatus = (model: string) => `Scored with model ${model}.`;
const QUICK_SCORED_STATUS = ' Restoration and KDE maps take minutes on a volume: press Score to compute them.';
const UNLIKE_TRAINING_STATUS = ' ⚠ This scan does not look like the training data (see the notification): its maps may mark normal tissue.';
/** Render reports kept per document (the newest); enough for tests and the status line. */
const MAX_RENDER_REPORTS = 100;

export class ScanDocument implements vscode.CustomDocument {
  private readonly panels = new Set<vscode.WebviewPanel>();
  /** The panels whose webview has the scan, and so can take overlays (a reloading webview has not). */
  private readonly panelsWithScan = new Set<vscode.WebviewPanel>();
  private readonly reports: RenderReport[] = [];
  /** What a panel's page last said its header and error box show (the newest report of any panel). */
  private page: PageReport | undefined;
  /** Cancelled when the document closes, stopping the work started for it. */
  private readonly lifetime = new vscode.CancellationTokenSource();
  private scan: Promise<ReadScan> | undefined;
  private overlays: OverlaysMessage | undefined;
  /** The label mask or second volume drawn over the scan, once one was opened. */
  private labelOverlay: LabelOverlayMessage | undefined;
  /** The volume of a 4D NIfTI shown and scored (0 for every other scan); the webview can choose another. */
  private volumeIndex = 0;
  private readonly disposed = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposed.event;

  constructor(
    readonly uri: vscode.Uri,
    private readonly services: ScanServices,
  ) {}

  get name(): string {
    return basename(this.uri.fsPath);
  }

  attach(panel: vscode.WebviewPanel): void {
    this.panels.add(panel);
    panel.onDidDispose(() => {
      this.panels.delete(panel);
      this.panelsWithScan.delete(panel);
    });
  }

  /** A panel's webview (re)loaded: sends it the scan, then the overlays, scoring first when a model exists. */
  async show(panel: vscode.WebviewPanel): Promise<void> {
    this.panelsWithScan.delete(panel);
    this.post(panel, { type: 'status', text: `Reading ${this.name}…` });
    const scan = await this.readScanOrShowFailure();
    if (!scan) return;
    this.post(panel, scan);
    if (this.panels.has(panel)) this.panelsWithScan.add(panel);
    if (this.labelOverlay) this.post(panel, this.labelOverlay);
    if (this.overlays) {
      this.post(panel, this.overlays);
      this.post(panel, { type: 'status', text: scoredStatus(this.overlays.model) });
    } else {
      // A failure is already shown in the panels by score().
      await this.scoreIfPossible().catch(() => undefined);
    }
  }

  /**
   * Shows and scores volume `index` of a 4D NIfTI in every panel (the webview's volume choice); an index
   * outside the file's volumes is refused with an error naming the count.
   */
  async selectVolume(index: number): Promise<void> {
    let count: number;
    try {
      count = (await this.readScan()).message.volume?.count ?? 1;
    } catch (error) {
      this.showFailure(`Reading ${this.name} failed.`, error);
      return;
    }
    if (!Number.isInteger(index) || index < 0 || index >= count) {
      this.postAll({
        type: 'error',
        message: `${this.name}: volume index ${index} is out of range (the file holds ${count} volume${count === 1 ? '' : 's'}, 0 to ${count - 1})`,
      });
      return;
    }
    if (index === this.volumeIndex) return;
    this.volumeIndex = index;
    this.scan = undefined;
    this.overlays = undefined;
    this.panelsWithScan.clear();
    this.postAll({ type: 'status', text: `Reading volume ${index + 1} of ${this.name}…` });
    const scan = await this.readScanOrShowFailure();
    if (!scan) return;
    this.postAll(scan);
    for (const panel of this.panels) this.panelsWithScan.add(panel);
    await this.scoreIfPossible().catch(() => undefined); // a failure is already shown in the panels
  }

  /** The viewer's choice: raw maps (as computed) instead of post-processed ones; every scoring of this document follows it. */
  rawMaps = false;

  /** Switches between raw and post-processed maps and scores again (the palette's Score command, with its progress). */
  async setRawMaps(raw: boolean): Promise<void> {
    if (raw === this.rawMaps) return;
    this.rawMaps = raw;
    await vscode.commands.executeCommand(COMMANDS.scoreActiveScan, this.uri);
  }

  /** Scores the scan (the volume shown, for a 4D file) with the model in `modelDir` and shows the maps in every panel. */
  async score(modelDir: string, options: ScoringOptions = {}): Promise<ScanScore> {
    const model = basename(modelDir);
    const volumeIndex = this.volumeIndex;
    const read = await this.readScan().catch(() => undefined); // a file that cannot be read fails below, as before
    if (read?.message.labelImage) {
      const error = new Error(maskFileNote(this.name));
      this.showFailure('Not scored: a mask.', error);
      throw error;
    }
    this.postAll({ type: 'status', text: `Scoring with model ${model}…` });
    const onProgress = (progress: CountProgress) => {
      this.postAll({ type: 'status', text: `Scoring with model ${model}… ${progress.done}/${progress.total}` });
      options.onProgress?.(progress);
    };
    let result: ScanScore;
    try {
      const { scoring } = readSettings(vscode.workspace.getConfiguration(SETTINGS_SECTION, this.uri));
      const sampled = options.sampledPriorMaps ?? true;
      const priorMaps = sampled ? scoring.priorMaps : { ...scoring.priorMaps, restorationSamples: 0, kdeSamplings: 0 };
      const raw = this.rawMaps;
      const params = { modelDir, file: this.uri.fsPath, volumeIndex, scoring: { ...scoring, priorMaps, raw } };
      result = await this.services.client.request('scoreScan', params, { token: options.token, onProgress });
    } catch (error) {
      this.showFailure('Scoring failed.', error);
      throw error;
    }
    const overlays = await overlaysMessage(result, model, !this.rawMaps);
    if (volumeIndex !== this.volumeIndex) return result; // another volume was chosen meanwhile: these maps are not for it
    this.overlays = overlays;
    // Panels still waiting for the scan get these overlays right after it (show()).
    for (const panel of this.panelsWithScan) this.post(panel, this.overlays);
    const skippedSampledMaps = options.sampledPriorMaps === false && result.maps.nll !== undefined; // a prior, without its sampled maps
    const unlike = (result.warnings ?? []).length > 0 ? UNLIKE_TRAINING_STATUS : '';
    this.postAll({ type: 'status', text: scoredStatus(model) + unlike + (skippedSampledMaps ? QUICK_SCORED_STATUS : '') });
    return result;
  }

  addRenderReport(report: RenderReport): void {
    this.reports.push(report);
    if (this.reports.length > MAX_RENDER_REPORTS) this.reports.shift();
  }

  /** What the panels reported they drew, oldest first. */
  renderReports(): RenderReport[] {
    return [...this.reports];
  }

  setPageReport(page: PageReport): void {
    this.page = page;
  }

  /** What a panel's header and error box last showed; undefined before any page reported. */
  pageReport(): PageReport | undefined {
    return this.page;
  }

  /**
   * Draws the mask or volume in `file` over the scan in every panel (kept for reloads), read by the worker;
   * throws, after showing why in the panels, when it cannot be read or its voxels are not the scan's.
   */
  async openOverlay(file: string): Promise<void> {
    const name = basename(file);
    this.postAll({ type: 'status', text: `Reading ${name}…` });
    try {
      const { message: scan } = await this.readScan();
      const { image, affine } = await this.services.client.request('readScan', { file }, { token: this.lifetime.token });
      const problem = overlayGridProblem({ name: scan.name, dims: scan.image.dims, affine: scan.affine }, { name, dims: image.dims, affine });
      if (problem) throw new Error(problem);
      this.labelOverlay = { type: 'labelOverlay', name, image };
    } catch (error) {
      this.showFailure(`Opening ${name} as overlay failed.`, error);
      throw error;
    }
    for (const panel of this.panelsWithScan) this.post(panel, this.labelOverlay);
    this.postAll({ type: 'status', text: `Showing ${name} over ${this.name}.` });
  }

  /** Draws the scan's mask by the conventions (the scan message's expertMask) over it; errors are shown in the panels. */
  async showExpertMask(): Promise<void> {
    const { maskPath } = await this.readScan();
    if (maskPath) await this.openOverlay(maskPath).catch(() => undefined);
  }

  /** Automation (tests): every panel acts as if the user had pressed the key or typed the value. */
  automate(action: ViewerAutomation): void {
    this.postAll({ type: 'automate', action });
  }

  dispose(): void {
    this.lifetime.cancel();
    this.lifetime.dispose();
    this.disposed.fire();
    this.disposed.dispose();
  }

  /** The decoded scan, or undefined after showing in every panel why it could not be read. */
  private async readScanOrShowFailure(): Promise<ScanMessage | undefined> {
    try {
      return (await this.readScan()).message;
    } catch (error) {
      const cancelled = error instanceof CancelledError;
      if (!cancelled) this.postAll({ type: 'scanFailed', name: this.name, message: this.logFailure(error) });
      this.postAll({ type: 'status', text: cancelled ? 'Cancelled.' : `Reading ${this.name} failed.` });
      return undefined;
    }
  }

  /** The decoded scan (the chosen volume of a 4D file), read once by the worker and kept while the document is open. */
  private readScan(): Promise<ReadScan> {
    const index = this.volumeIndex;
    this.scan ??= this.services.client.request('readScan', { file: this.uri.fsPath, volumeIndex: index }, { token: this.lifetime.token }).then(
      ({ image, spacing, volumeCount, affine, isMask, mask }): ReadScan => ({
        message: {
          type: 'scan',
          name: this.name,
          image,
          spacing,
          affine,
          volume: { index, count: volumeCount },
          labelImage: isMask,
          expertMask: mask && basename(mask),
        },
        maskPath: mask,
      }),
      (error: unknown) => {
        this.scan = undefined; // let the next reload try again (e.g. after a worker crash)
        throw error;
      },
    );
    return this.scan;
  }

  /** Scores on opening when a model exists, the workspace is trusted and the file is not a mask; otherwise says why not. */
  private async scoreIfPossible(): Promise<void> {
    if ((await this.readScan()).message.labelImage) {
      this.postAll({ type: 'status', text: `${maskFileNote(this.name)}.` });
      return;
    }
    if (!vscode.workspace.isTrusted) {
      this.postAll({ type: 'status', text: RESTRICTED_STATUS });
      return;
    }
    let modelDir: string;
    try {
      modelDir = await this.services.activeModelFor(this.uri);
    } catch (error) {
      if (!(error instanceof NoModelError)) throw error;
      // The viewer's short line when nothing is trained; the full message when the activeModel setting is wrong.
      this.postAll({ type: 'status', text: error.message === NO_MODEL_MESSAGE ? NO_MODEL_STATUS : error.message });
      return;
    }
    // Opening a volume scores it without the prior's sampled maps, which would take minutes; Score adds them.
    const depth = (await this.readScan()).message.image.dims[2];
    await this.score(modelDir, { token: this.lifetime.token, sampledPriorMaps: depth === 1 });
  }

  /** Shows in every panel that something failed (the error box) or was cancelled (the status line). */
  private showFailure(status: string, error: unknown): void {
    if (error instanceof CancelledError) {
      this.postAll({ type: 'status', text: 'Cancelled.' });
      return;
    }
    this.postAll({ type: 'status', text: status });
    this.postAll({ type: 'error', message: this.logFailure(error) });
  }

  /** Logs a failure (with the paths) and returns its message as the page may show it: files by name, never an absolute path. */
  private logFailure(error: unknown): string {
    const message = error instanceof Error ? error.message : String(error);
    this.services.log.error(`Scan viewer, ${this.uri.fsPath}: ${message}`);
    const folders = (vscode.workspace.workspaceFolders ?? []).map((folder) => folder.uri.fsPath);
    return withoutAbsolutePaths(message, this.uri.fsPath, this.name, folders);
  }

  private post(panel: vscode.WebviewPanel, message: HostToWebview): void {
    if (this.panels.has(panel)) void panel.webview.postMessage(message);
  }

  private postAll(message: HostToWebview): void {
    for (const panel of this.panels) void panel.webview.postMessage(message);
  }
}
