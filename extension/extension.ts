// Entry point of the VQ Anomaly Review extension. Wires together the log ("VQ Anomaly" output channel),
// the model worker client, the status bar item, the commands and the scan viewer custom editor, and
// returns the small API that the integration tests (and other automation) use.

import * as vscode from 'vscode';
import type { BackendInfo } from '../models/runtime/backendNames';
import { type NativeBackend, nativeBackendModulePath } from '../models/runtime/nativeBackendInstall';
import type { EvaluateResult, ScoreFolderResult } from '../models/worker/protocol';
import type { PageReport, RenderReport, ViewerAutomation } from '../webview/protocol';
import type { GalleryReport } from '../webview/gallery/galleryProtocol';
import { COMMANDS } from './commandIds';
import { choosePreset } from './commands/choosePreset';
import { deleteModel } from './commands/deleteModel';
import { type EvaluateCommandOptions, evaluateModel } from './commands/evaluateModel';
import { exportOverlays } from './commands/exportOverlays';
import { exportScores } from './commands/exportScores';
import { fineTuneModel } from './commands/fineTuneModel';
import { installNativeBackend } from './commands/installNativeBackend';
import { openGallery } from './commands/openGallery';
import { openModelDetails, registerModelDetailsProvider } from './commands/openModelDetails';
import { openOverlay } from './commands/openOverlay';
import { resumeTraining } from './commands/resumeTraining';
import { scoreActiveScan } from './commands/scoreActiveScan';
import { scoreFolder } from './commands/scoreFolder';
import { selectModel } from './commands/selectModel';
import { trainOnFolder } from './commands/trainOnFolder';
import { trainPrior, type TrainPriorOptions } from './commands/trainPrior';
import { fineTunePrior } from './commands/fineTunePrior';
import { type GalleryAutomation, GalleryPanels } from './gallery/galleryPanel';
import { ModelsView } from './modelsView';
import { ScanEditorProvider } from './scanEditor/scanEditorProvider';
import type { Services } from './services';
import { SETTINGS_SECTION, readSettings } from './settings';
import { StatusBar } from './statusBar';
import { type TrainingPanelReport, TrainingPanels } from './trainingPanel/trainingPanels';
import { WorkerClient } from './workerClient';
import type { ExportOptions } from './commands/exportOverlays';
import type { ModelArgument } from './commands/pickModel';
import { activeModelFor } from './workspaceModels';

/** What activate() returns: read-only views of the extension's state, for tests and automation. */
export interface ExtensionApi {
  /** What the scan viewer webviews showing `uri` (URI string or file path) reported they drew, oldest first. */
  renderReports(uri: string): RenderReport[];
  /** What the viewer's "Post-processed" checkbox does for the document of `uri`: raw (true) or post-processed maps, scored again. */
  setRawMaps(uri: string, raw: boolean): Promise<void>;
  /** What the header and error box of the scan viewer of `uri` last showed; undefined when none reported. */
  viewerPage(uri: string): PageReport | undefined;
  /** Presses a key or types a value in the scan viewer panels of `uri`, as a user would; false when it is not open. */
  automateViewer(uri: string, action: ViewerAutomation): boolean;
  /** Presses Snapshot in the scan viewer of `uri` and saves the PNG to `target` instead of asking; the file written, or undefined. */
  snapshotViewer(uri: string, target: string): Promise<string | undefined>;
  /** The backend the model worker runs on; undefined while no worker runs. */
  backend(): BackendInfo | undefined;
  workerPid(): number | undefined;
  /** The result of the last "Score folder" that finished. */
  lastFolderScores(): ScoreFolderResult | undefined;
  /** The model folders the "VQ Anomaly Models" view lists, in its order. */
  listedModels(): Promise<string[]>;
  /** The training panels of this session, oldest first: the progress each run received and what its page last drew. */
  trainingPanelReports(): TrainingPanelReport[];
  /** Shows the panel of run `index` of trainingPanelReports() again (reopened if it was closed); false when there is none. */
  showTrainingPanel(index: number): boolean;
  /** Presses the Cancel button in the page of the running training titled `title`, as a user would; false when there is none. */
  pressTrainingPanelCancel(title: string): boolean;
  /** What the anomaly gallery webviews reported they show, oldest first. */
  galleryReports(): GalleryReport[];
  /** Sets the newest gallery's score filter or clicks one of its thumbnails, as a user would; false when no gallery is open. */
  automateGallery(message: GalleryAutomation): Thenable<boolean>;
  /** The result of the last "Evaluate model on labelled folder" that finished: the report folder, its files and the metrics. */
  lastEvaluation(): EvaluateResult | undefined;
}

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const log = vscode.window.createOutputChannel('VQ Anomaly', { log: true });
  const backendSetting = () => readSettings(vscode.workspace.getConfiguration(SETTINGS_SECTION, null)).backend;
  const wasmThreadsSetting = () => readSettings(vscode.workspace.getConfiguration(SETTINGS_SECTION, null)).wasmThreads;
  const statusBar = new StatusBar(backendSetting());

  const client = new WorkerClient({
    workerPath: vscode.Uri.joinPath(context.extensionUri, 'dist', 'worker.js').fsPath,
    backendPreference: backendSetting,
    wasmThreads: wasmThreadsSetting,
    // Where "Install native TensorFlow backend…" puts tfjs-node(-gpu).
    modulePaths: [nativeBackendModulePath(context.globalStorageUri.fsPath)],
    log: (level, message) => log[level](message),
    onUnexpectedExit: (error) => void vscode.window.showErrorMessage(error.message),
    onBackendChange: (backend) => statusBar.setBackend(backend, backendSetting()),
  });
  const scanViewer = new ScanEditorProvider(context.extensionUri, { client, log, activeModelFor });
  const modelsView = new ModelsView();
  const trainingPanels = new TrainingPanels(context.extensionUri);
  const services: Services = { client, log, statusBar, scanViewer, modelsView, trainingPanels };
  const galleries = new GalleryPanels(context.extensionUri, log);
  let lastFolderScores: ScoreFolderResult | undefined;
  let lastEvaluation: EvaluateResult | undefined;

  context.subscriptions.push(
    statusBar,
    client,
    ...scanViewer.register(),
    modelsView,
    trainingPanels,
    registerModelDetailsProvider(),
    vscode.commands.registerCommand(COMMANDS.trainOnFolder, (folder?: vscode.Uri) => trainOnFolder(services, folder)),
    vscode.commands.registerCommand(COMMANDS.resumeTraining, (folder?: vscode.Uri) => resumeTraining(services, folder)),
    vscode.commands.registerCommand(COMMANDS.fineTuneModel, (folder?: vscode.Uri, model?: ModelArgument) => fineTuneModel(services, folder, model)),
    vscode.commands.registerCommand(COMMANDS.trainPrior, (folder?: vscode.Uri, options?: TrainPriorOptions) => trainPrior(services, folder, options)),
    vscode.commands.registerCommand(COMMANDS.fineTunePrior, (folder?: vscode.Uri, options?: TrainPriorOptions) => fineTunePrior(services, folder, options)),
    vscode.commands.registerCommand(COMMANDS.selectModel, (model?: ModelArgument) => selectModel(model)),
    vscode.commands.registerCommand(COMMANDS.choosePreset, (preset?: string) => choosePreset(preset)),
    vscode.commands.registerCommand(COMMANDS.openModelDetails, (model?: ModelArgument) => openModelDetails(services, model)),
    vscode.commands.registerCommand(COMMANDS.deleteModel, (model?: ModelArgument) => deleteModel(services, model)),
    vscode.commands.registerCommand(COMMANDS.refreshModels, () => modelsView.refresh()),
    vscode.commands.registerCommand(COMMANDS.exportOverlays, (scan?: vscode.Uri, options?: ExportOptions) => exportOverlays(services, scan, options)),
    vscode.commands.registerCommand(COMMANDS.exportScores, (target?: vscode.Uri) => exportScores(services, lastFolderScores, target)),
    vscode.commands.registerCommand(COMMANDS.scoreActiveScan, (scan?: vscode.Uri) => scoreActiveScan(services, scan)),
    vscode.commands.registerCommand(COMMANDS.openOverlay, (scan?: vscode.Uri, overlay?: vscode.Uri) => openOverlay(services, scan, overlay)),
    vscode.commands.registerCommand(COMMANDS.scoreFolder, async (folder?: vscode.Uri) => {
      const result = await scoreFolder(services, folder);
      if (result) lastFolderScores = result;
      return result;
    }),
    vscode.commands.registerCommand(COMMANDS.evaluateModel, async (testSet?: vscode.Uri, options?: EvaluateCommandOptions) => {
      const result = await evaluateModel(services, testSet, options);
      if (result) lastEvaluation = result;
      return result;
    }),
    galleries,
    vscode.commands.registerCommand(COMMANDS.openGallery, (folder?: vscode.Uri) => openGallery(services, galleries, folder)),
    vscode.commands.registerCommand(COMMANDS.showLog, () => log.show()),
    vscode.commands.registerCommand(COMMANDS.installNativeBackend, (backend?: NativeBackend) =>
      installNativeBackend(services, context.globalStorageUri.fsPath, backend),
    ),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(`${SETTINGS_SECTION}.backend`)) {
        client.backendSettingChanged();
        statusBar.setBackend(client.backend(), backendSetting());
      }
      if (event.affectsConfiguration(`${SETTINGS_SECTION}.wasmThreads`)) client.replaceWorker('the wasm threads setting changed');
      if (event.affectsConfiguration(`${SETTINGS_SECTION}.modelsFolder`) || event.affectsConfiguration(`${SETTINGS_SECTION}.activeModel`)) {
        void statusBar.refreshModel();
        modelsView.refresh();
      }
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => void statusBar.refreshModel()),
    log, // disposed last (subscriptions are disposed in order): stopping the worker still logs
  );
  void statusBar.refreshModel();

  return {
    renderReports: (uri) => scanViewer.renderReports(uri),
    setRawMaps: async (uri, raw) => scanViewer.documentFor(vscode.Uri.parse(uri))?.setRawMaps(raw),
    viewerPage: (uri) => scanViewer.pageReport(uri),
    automateViewer: (uri, action) => {
      const document = scanViewer.documentFor(vscode.Uri.parse(uri));
      document?.automate(action);
      return document !== undefined;
    },
    snapshotViewer: (uri, target) => scanViewer.snapshot(uri, target),
    backend: () => client.backend(),
    workerPid: () => client.pid(),
    lastFolderScores: () => lastFolderScores,
    listedModels: async () => (await modelsView.getChildren()).map((entry) => entry.dir),
    trainingPanelReports: () => trainingPanels.reports(),
    showTrainingPanel: (index) => trainingPanels.show(index),
    pressTrainingPanelCancel: (title) => trainingPanels.pressCancel(title),
    galleryReports: () => galleries.galleryReports(),
    automateGallery: (message) => galleries.automate(message),
    lastEvaluation: () => lastEvaluation,
  };
}
