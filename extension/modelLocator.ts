// Where models live: each training folder gets `<workspace>/<modelsFolder>/<folder name>`, and scoring
// uses the model named by `vqAnomaly.activeModel` or else the most recently trained one (the newest
// `manifest.json`). Plain Node, no VS Code API, so that it is unit-tested directly.

import { readdir, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { isTransientFolderName } from '../models/io/atomicFolder';

/** The file every saved model folder holds (MANIFEST_FILE of models/vqvae/checkpoint.ts, not imported: it loads tfjs). */
export const MODEL_MANIFEST = 'manifest.json';

export const NO_MODEL_MESSAGE = 'No trained model in this workspace. Right-click a folder → Train anomaly model.';

export class NoModelError extends Error {
  constructor(message = NO_MODEL_MESSAGE) {
    super(message);
    this.name = 'NoModelError';
  }
}

/** The folder holding all models: `modelsFolder` relative to the workspace folder (or absolute). */
export function modelsRoot(workspaceRoot: string, modelsFolder: string): string {
  return resolve(workspaceRoot, modelsFolder);
}

/** The model folder that training on `trainingFolder` writes: `<modelsRoot>/<trainingFolder's name>`. */
export function modelDirForFolder(workspaceRoot: string, modelsFolder: string, trainingFolder: string): string {
  return join(modelsRoot(workspaceRoot, modelsFolder), basename(resolve(trainingFolder)));
}

export interface ActiveModelQuery {
  /** The workspace folder, or undefined when no folder is open. */
  workspaceRoot: string | undefined;
  modelsFolder: string;
  /** The `vqAnomaly.activeModel` setting: a model folder, absolute or relative to the workspace; '' if unset. */
  activeModel: string;
}

/** The model folder to score with; throws NoModelError (saying what to do) when there is none. */
export async function findActiveModel(query: ActiveModelQuery): Promise<string> {
  if (query.activeModel) {
    const dir = resolve(query.workspaceRoot ?? '', query.activeModel);
    if ((await manifestTime(dir)) === undefined) {
      throw new NoModelError(`The model set in vqAnomaly.activeModel (${dir}) has no ${MODEL_MANIFEST}: train it first or clear the setting.`);
    }
    return dir;
  }
  const newest = query.workspaceRoot ? await newestModelDir(modelsRoot(query.workspaceRoot, query.modelsFolder)) : undefined;
  if (!newest) throw new NoModelError();
  return newest;
}

/** The sub-folder of `root` whose manifest.json was modified last; undefined when none has one. */
export async function newestModelDir(root: string): Promise<string | undefined> {
  let newest: { dir: string; time: number } | undefined;
  for (const dir of await subfolders(root)) {
    const time = await manifestTime(dir);
    if (time !== undefined && (!newest || time > newest.time)) newest = { dir, time };
  }
  return newest?.dir;
}

/** The sub-folders of `root` that can hold a model (not checkpoints in transit), sorted; [] when `root` does not exist. */
export async function subfolders(root: string): Promise<string[]> {
  try {
    const entries = await readdir(root, { withFileTypes: true });
    return entries
      .filter((e) => e.isDirectory() && !isTransientFolderName(e.name))
      .map((e) => join(root, e.name))
      .sort();
  } catch {
    return []; // no models folder yet
  }
}

/** When the model folder's manifest.json was last modified (ms), or undefined when it has none. */
async function manifestTime(dir: string): Promise<number | undefined> {
  try {
    return (await stat(join(dir, MODEL_MANIFEST))).mtimeMs;
  } catch {
    return undefined;
  }
}
