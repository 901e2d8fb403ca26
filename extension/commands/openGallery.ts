// "Open anomaly gallery" (palette with a folder picker, or the Explorer's context menu on a folder):
// scores every scan of the folder with the active model as "Score folder" does, with a thumbnail of
// each (the image and its residual map; a volume's most anomalous slice), then shows them in a gallery
// panel, most anomalous first, with a score filter; clicking one opens it in the scan viewer.

import { basename } from 'node:path';
import type * as vscode from 'vscode';
import type { ScoreFolderResult } from '../../models/worker/protocol';
import type { GalleryPanels } from '../gallery/galleryPanel';
import type { Services } from '../services';
import { activeModelFor } from '../workspaceModels';
import { ensureTrusted, pickFolder, reportFailure } from './commandSupport';
import { logScores, scoreFolderWithProgress } from './scoreFolder';

/** Side of the square the worker fits each thumbnail into, in pixels. */
export const THUMBNAIL_SIZE = 96;

/** Scores `folder` (asked for when not given) and opens its gallery; the scores, or undefined when it did not finish. */
export async function openGallery(services: Services, galleries: GalleryPanels, folder?: vscode.Uri): Promise<ScoreFolderResult | undefined> {
  if (!ensureTrusted('The anomaly gallery')) return undefined;
  folder ??= await pickFolder('Show the scans of a folder by anomaly score');
  if (!folder) return undefined;
  try {
    const modelDir = await activeModelFor(folder);
    const result = await scoreFolderWithProgress(services, folder, modelDir, { thumbnailSize: THUMBNAIL_SIZE });
    logScores(services.log, folder, modelDir, result);
    galleries.show({ folder, modelDir, scores: result.scores, skipped: result.skipped.length });
    return result;
  } catch (error) {
    reportFailure(`Anomaly gallery of ${basename(folder.fsPath)}`, error, services.log);
    return undefined;
  }
}
