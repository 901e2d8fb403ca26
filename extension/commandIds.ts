// The ids of the extension's commands and custom editors, as contributed in package.json.

export const COMMANDS = {
  trainOnFolder: 'vqAnomaly.trainOnFolder',
  scoreActiveScan: 'vqAnomaly.scoreActiveScan',
  scoreFolder: 'vqAnomaly.scoreFolder',
  showLog: 'vqAnomaly.showLog',
} as const;

/** The scan viewer: the default editor for NIfTI volumes, and the id to open any scan with. */
export const SCAN_VIEWER = 'vqAnomaly.scanViewer';
/**
 * The same viewer contributed for PNG/JPEG as an "Open With…" option, so that VS Code's own image
 * preview stays their default (a contribution has one priority for all its file patterns).
 */
export const IMAGE_SCAN_VIEWER = 'vqAnomaly.imageScanViewer';
