// "Open mask or volume as overlay…": draws a label mask or a second volume over the scan in the active
// scan viewer (e.g. the expert lesion mask beside the anomaly map), as its outline or a tint. Also run by
// the viewer's button, with the scan's URI. The file is read by the model worker and must be in the
// scan's grid; the viewer shows why not otherwise.

import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { Services } from '../services';
import { reportFailure } from './commandSupport';

/** The files the scan viewer reads. */
const OVERLAY_FILTERS = { 'Masks and volumes': ['nii', 'gz', 'png', 'jpg', 'jpeg'] };

/** Draws `overlay` (automation; default: the file the user picks) over `scan` (default: the active scan viewer's); false when nothing was drawn. */
export async function openOverlay(services: Services, scan?: vscode.Uri, overlay?: vscode.Uri): Promise<boolean> {
  const document = scan ? services.scanViewer.documentFor(scan) : services.scanViewer.activeDocument();
  if (!document) {
    void vscode.window.showWarningMessage('Open a scan in the scan viewer first, then open a mask or volume over it.');
    return false;
  }
  overlay ??= (
    await vscode.window.showOpenDialog({
      title: `Mask or volume to draw over ${document.name} (in its grid)`,
      canSelectMany: false,
      defaultUri: vscode.Uri.joinPath(document.uri, '..'),
      filters: OVERLAY_FILTERS,
      openLabel: 'Open as overlay',
    })
  )?.[0];
  if (!overlay) return false;
  try {
    await document.openOverlay(overlay.fsPath);
    return true;
  } catch (error) {
    reportFailure(`Opening ${basename(overlay.fsPath)} as overlay`, error, services.log);
    return false;
  }
}
