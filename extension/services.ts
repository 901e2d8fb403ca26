// What the commands share: the model worker, the log, the status bar, the scan viewer and the models view.

import type * as vscode from 'vscode';
import type { ModelsView } from './modelsView';
import type { ScanEditorProvider } from './scanEditor/scanEditorProvider';
import type { StatusBar } from './statusBar';
import type { TrainingPanels } from './trainingPanel/trainingPanels';
import type { WorkerClient } from './workerClient';

export interface Services {
  client: WorkerClient;
  log: vscode.LogOutputChannel;
  statusBar: StatusBar;
  scanViewer: ScanEditorProvider;
  modelsView: ModelsView;
  /** The live panels of the trainings (loss curves, Cancel). */
  trainingPanels: TrainingPanels;
}
