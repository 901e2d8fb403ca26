// "Fine-tune latent prior on folder" (Explorer context menu on a folder, or the palette with a folder
// picker): trains the model's saved latent prior further on the folder's scans, from its weights with a
// fresh optimizer, then calibrates lambda_s / lambda_p again. The flow (progress, cancel, messages) is
// Train latent prior's (trainPrior.ts); a model without a prior is refused by the worker with a message.

import type * as vscode from 'vscode';
import type { TrainPriorResult } from '../../models/worker/protocol';
import type { Services } from '../services';
import { trainPrior, type TrainPriorOptions } from './trainPrior';

/** Fine-tunes the prior of a model (default: the active one) on `folder` (asked for when not given). */
export function fineTunePrior(
  services: Services,
  folder?: vscode.Uri,
  options: Omit<TrainPriorOptions, 'fineTune'> = {},
): Promise<TrainPriorResult | undefined> {
  return trainPrior(services, folder, { ...options, fineTune: true });
}
