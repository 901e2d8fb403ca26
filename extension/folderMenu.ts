// Which entries of the Explorer's "VQ Anomaly" folder submenu apply, as the context keys their `when`
// clauses (package.json) read: "Resume training" on the folders whose own model exists, the entries
// that use a model once the workspace has one, "Fine-tune latent prior" once a model has a prior.
// "Train anomaly model" always applies. Plain code, unit-tested; ModelsView sets the keys.

import type { ModelEntry } from './modelCatalog';
import { modelDirForFolder } from './modelLocator';

/** The context keys, as package.json's `when` clauses name them. */
export const FOLDER_MENU_KEYS = {
  hasModels: 'vqAnomaly.hasModels',
  hasPrior: 'vqAnomaly.hasPrior',
  resumableFolders: 'vqAnomaly.resumableFolders',
} as const;

export interface FolderMenuContext {
  hasModels: boolean;
  hasPrior: boolean;
  /** The training folders whose model folder (where training on them writes) holds a model: resuming applies there. */
  resumableFolders: string[];
}

/** The context of `models` (of the workspace folder `workspaceRoot`); `hasPrior` tells whether a model folder holds a prior. */
export function folderMenuContext(models: ModelEntry[], workspaceRoot: string, modelsFolder: string, hasPrior: (dir: string) => boolean): FolderMenuContext {
  const resumableFolders = models
    .map(({ dir, manifest }) => ({ dir, folder: manifest.data.folder }))
    .filter(({ dir, folder }) => modelDirForFolder(workspaceRoot, modelsFolder, folder) === dir)
    .map(({ folder }) => folder);
  return { hasModels: models.length > 0, hasPrior: models.some(({ dir }) => hasPrior(dir)), resumableFolders };
}
