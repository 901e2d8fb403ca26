// "Resume training" (Explorer context menu on a folder, or the palette): continues the training of the
// folder's model from its last checkpoint, with the same settings (the epochs setting may have grown).

import type * as vscode from 'vscode';
import type { TrainResult } from '../../models/worker/protocol';
import type { Services } from '../services';
import { trainOnFolder } from './trainOnFolder';

export function resumeTraining(services: Services, folder?: vscode.Uri): Promise<TrainResult | undefined> {
  return trainOnFolder(services, folder, { resume: true });
}
