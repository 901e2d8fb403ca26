// The live panel of one training, "Training <folder>", beside the editor: the page (webview/training/)
// draws the loss curves from the run's data (trainingRun.ts), which this side sends batched, at most
// UPDATE_INTERVAL_MS apart, and in full whenever the page (re)loads. Its Cancel button cancels the
// same request as the progress notification's (cancellation()). It opens with the first progress, so a
// training that never starts (an empty folder, a bad setting) opens no empty panel. After the end the
// panel stays with the final curves and the outcome.

import * as vscode from 'vscode';
import type { TrainProgress } from '../../models/worker/protocol';
import {
  type EpochPoint,
  type HostToTrainingPanel,
  parseTrainingPanelMessage,
  type StepPoint,
  type TrainingDrawReport,
  type TrainingOutcome,
} from '../../webview/training/trainingProtocol';
import { webviewPageHtml, webviewResourceRoots } from '../scanEditor/webviewHtml';
import { TrainingRun } from './trainingRun';
import { UpdateThrottle } from './updateThrottle';

const TRAINING_PANEL_VIEW_TYPE = 'vqAnomaly.trainingPanel';
/** At most 10 update messages a second. */
const UPDATE_INTERVAL_MS = 100;

export class TrainingPanel {
  readonly run: TrainingRun;
  /** What the page reported after its last draw. */
  lastDrawn?: TrainingDrawReport;
  private panel?: vscode.WebviewPanel;
  /** The panel was opened once: closing it later keeps it closed while the training goes on. */
  private opened = false;
  /** The page has asked for the data ('ready') and is visible: updates reach it. */
  private pageReady = false;
  private unsent: { steps: StepPoint[]; epochs: EpochPoint[] } = { steps: [], epochs: [] };
  private readonly throttle = new UpdateThrottle(() => this.sendUpdate(), UPDATE_INTERVAL_MS);
  /** Cancelled by the notification's Cancel or the page's, whichever comes first. */
  private readonly cancelSource = new vscode.CancellationTokenSource();

  constructor(
    private readonly extensionUri: vscode.Uri,
    title: string,
  ) {
    this.run = new TrainingRun(title);
  }

  get isOpen(): boolean {
    return this.panel !== undefined;
  }

  get isVisible(): boolean {
    return this.panel?.visible ?? false;
  }

  /** Opens the panel beside the active editor without taking the focus, or reveals it. */
  show(): void {
    this.opened = true;
    if (this.panel) {
      this.panel.reveal(undefined, true);
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      TRAINING_PANEL_VIEW_TYPE,
      this.run.title,
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      { enableScripts: true, localResourceRoots: webviewResourceRoots(this.extensionUri) },
    );
    panel.webview.html = webviewPageHtml(panel.webview, this.extensionUri, { script: 'training.js', styles: ['trainingPanel.css'], title: this.run.title });
    panel.webview.onDidReceiveMessage((raw: unknown) => this.onPageMessage(parseTrainingPanelMessage(raw)));
    // A hidden page is torn down (no retainContextWhenHidden); shown again it reloads and asks for everything.
    panel.onDidChangeViewState(() => {
      if (!panel.visible) this.pageReady = false;
    });
    panel.onDidDispose(() => {
      this.panel = undefined;
      this.pageReady = false;
    });
    this.panel = panel;
  }

  /** A token cancelled by `token` (the notification's) or by the page's Cancel button, whichever comes first. */
  cancellation(token: vscode.CancellationToken): vscode.CancellationToken {
    token.onCancellationRequested(() => this.cancelSource.cancel());
    return this.cancelSource.token;
  }

  progress(progress: TrainProgress): void {
    if (!this.opened) this.show();
    const added = this.run.add(progress);
    if ('step' in added) this.unsent.steps.push(added.step);
    else this.unsent.epochs.push(added.epoch);
    this.throttle.changed();
  }

  end(outcome: TrainingOutcome, message: string): void {
    this.throttle.flushNow();
    this.run.end(outcome, message);
    this.post({ type: 'ended', outcome, message });
    this.cancelSource.dispose();
  }

  /** The training failed with `error`: its message is the panel's last line. */
  failed(error: unknown): void {
    this.end('failed', error instanceof Error ? error.message : String(error));
  }

  /** Automation (tests): the page presses its own Cancel button. False when no page is showing. */
  pressCancel(): boolean {
    if (!this.pageReady) return false;
    this.post({ type: 'pressCancel' });
    return true;
  }

  dispose(): void {
    this.throttle.cancel();
    this.cancelSource.dispose();
    this.panel?.dispose();
  }

  private onPageMessage(message: ReturnType<typeof parseTrainingPanelMessage>): void {
    if (message?.type === 'ready') {
      this.pageReady = true;
      this.unsent = { steps: [], epochs: [] };
      this.post({ type: 'snapshot', snapshot: this.run.snapshot() });
    } else if (message?.type === 'cancel') {
      if (!this.run.ended) this.cancelSource.cancel();
    } else if (message?.type === 'drawn') {
      this.lastDrawn = message.report;
    }
  }

  private sendUpdate(): void {
    const { status } = this.run;
    if (!status || (this.unsent.steps.length === 0 && this.unsent.epochs.length === 0)) return;
    // Points the page does not get now come with the snapshot it asks for when it (re)loads.
    if (this.pageReady) this.post({ type: 'update', ...this.unsent, status });
    this.unsent = { steps: [], epochs: [] };
  }

  private post(message: HostToTrainingPanel): void {
    if (this.pageReady) void this.panel?.webview.postMessage(message);
  }
}
