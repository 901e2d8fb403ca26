// The ids of the extension's commands, views and custom editors, as contributed in package.json.

export const COMMANDS = {
  trainOnFolder: 'vqAnomaly.trainOnFolder',
  resumeTraining: 'vqAnomaly.resumeTraining',
  fineTuneModel: 'vqAnomaly.fineTuneModel',
  trainPrior: 'vqAnomaly.trainPrior',
  fineTunePrior: 'vqAnomaly.fineTunePrior',
  scoreActiveScan: 'vqAnomaly.scoreActiveScan',
  scoreFolder: 'vqAnomaly.scoreFolder',
  exportOverlays: 'vqAnomaly.exportOverlays',
  exportScores: 'vqAnomaly.exportScores',
  selectModel: 'vqAnomaly.selectModel',
  choosePreset: 'vqAnomaly.choosePreset',
  openModelDetails: 'vqAnomaly.openModelDetails',
  deleteModel: 'vqAnomaly.deleteModel',
  refreshModels: 'vqAnomaly.refreshModels',
  showLog: 'vqAnomaly.showLog',
  installNativeBackend: 'vqAnomaly.installNativeBackend',
  openGallery: 'vqAnomaly.openGallery',
  evaluateModel: 'vqAnomaly.evaluateModel',
  openOverlay: 'vqAnomaly.openOverlay',
} as const;

/** The "VQ Anomaly Models" tree in the Explorer; its items have the context value MODEL_ITEM. */
export const MODELS_VIEW = 'vqAnomaly.models';
export const MODEL_ITEM = 'vqAnomalyModel';

/** The scan viewer: the default editor for NIfTI volumes, and the id to open any scan with. */
export const SCAN_VIEWER = 'vqAnomaly.scanViewer';
/**
 * The same viewer contributed for PNG/JPEG as an "Open With…" option, so that VS Code's own image
 * preview stays their default (a contribution has one priority for all its file patterns).
 */
export const IMAGE_SCAN_VIEWER = 'vqAnomaly.imageScanViewer';
