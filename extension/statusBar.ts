// The status bar item "$(pulse) VQ: <backend> · <model>": the backend the model worker runs on (or the
// backend setting while no worker runs) and the model that scoring uses; the tooltip also says what the backend
// runs on and its threads, e.g. "wasm (WebAssembly, CPU, 8 threads)". Clicking it shows the log.

import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { BackendInfo, BackendPreference } from '../models/runtime/backendNames';
import { describeBackend } from '../models/runtime/describeBackend';
import { COMMANDS } from './commandIds';
import { NoModelError } from './modelLocator';
import { activeModelFor } from './workspaceModels';

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('vqAnomaly.status', vscode.StatusBarAlignment.Right, 100);
  private backend: BackendInfo | undefined;
  private modelDir: string | undefined;
  private modelProblem = 'Looking for a trained model…';

  constructor(private backendPreference: BackendPreference) {
    this.item.name = 'VQ Anomaly';
    this.item.command = COMMANDS.showLog;
    this.render();
    this.item.show();
  }

  /** The backend of the running worker (undefined when none runs), and the current backend setting. */
  setBackend(backend: BackendInfo | undefined, preference: BackendPreference): void {
    this.backend = backend;
    this.backendPreference = preference;
    this.render();
  }

  /** Looks up the active model again (after training, or when the model settings changed). */
  async refreshModel(): Promise<void> {
    try {
      this.modelDir = await activeModelFor();
      this.modelProblem = '';
    } catch (error) {
      if (!(error instanceof NoModelError)) throw error;
      this.modelDir = undefined;
      this.modelProblem = error.message;
    }
    this.render();
  }

  dispose(): void {
    this.item.dispose();
  }

  private render(): void {
    const backend = this.backend?.name ?? this.backendPreference;
    const model = this.modelDir ? basename(this.modelDir) : 'no model';
    this.item.text = `$(pulse) VQ: ${backend} · ${model}`;

    this.item.tooltip = [
      'VQ Anomaly Review',
      this.backend
        ? `Backend: ${describeBackend(this.backend)} (setting: ${this.backendPreference})`
        : `Backend setting: ${this.backendPreference} (the model worker starts on the first request)`,
      this.modelDir ? `Model: ${this.modelDir}` : this.modelProblem,
      'Click to show the log.',
    ].join('\n');
  }
}
