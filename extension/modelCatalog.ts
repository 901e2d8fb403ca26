// The models of a workspace as the model list, the quick picks and the details show them: each saved
// model folder with its manifest, newest first, with a one-line summary of its configuration. Also the
// one way a model folder is deleted. Plain Node, no VS Code API, so that it is unit-tested directly.

import { readFile, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { ModelManifest } from '../models/vqvae/checkpoint';
import { resolveVqVaeConfig, type VqVaeConfig } from '../models/vqvae/config';
import { PRESET_NAMES, PRESETS, type PresetName } from '../models/vqvae/presets';
import { MODEL_MANIFEST, subfolders } from './modelLocator';

export interface ModelEntry {
  /** The model folder (absolute). */
  dir: string;
  /** The folder's name. */
  name: string;
  manifest: ModelManifest;
}

/** Every model folder under `root` whose manifest.json reads as JSON, newest first (sortModels). */
export async function listModels(root: string): Promise<ModelEntry[]> {
  const entries: ModelEntry[] = [];
  for (const dir of await subfolders(root)) {
    const manifest = await readManifestJson(dir);
    if (manifest) entries.push({ dir, name: basename(dir), manifest });
  }
  return sortModels(entries);
}

/** Newest `created` first; models created at the same time by name. */
export function sortModels(entries: ModelEntry[]): ModelEntry[] {
  return [...entries].sort((a, b) => b.manifest.created.localeCompare(a.manifest.created) || a.name.localeCompare(b.name));
}

async function readManifestJson(dir: string): Promise<ModelManifest | undefined> {
  try {
    return JSON.parse(await readFile(join(dir, MODEL_MANIFEST), 'utf8')) as ModelManifest;
  } catch {
    return undefined; // no manifest, or one being replaced: not a model (yet)
  }
}

/** The preset whose configuration the model has (optional fields resolved), if any. */
export function presetOf(config: VqVaeConfig): PresetName | undefined {
  const resolved = resolveVqVaeConfig(config);
  return PRESET_NAMES.find((name) => isDeepStrictEqual(resolveVqVaeConfig(PRESETS[name].config), resolved));
}

/** "cpu-small · 64×64 input, channels 32-64, codebook 128×64" (custom when no preset matches). */
export function configSummary(config: VqVaeConfig): string {
  const sizes = `${config.inputSize}×${config.inputSize} input, channels ${config.channels.join('-')}, codebook ${config.codebookSize}×${config.codebookDim}`;
  return `${presetOf(config) ?? 'custom'} · ${sizes}`;
}

/** "codebook usage 87/128" (how many of the K codes the training images use), or '' for older manifests. */
export function codebookUsageText(manifest: ModelManifest): string {
  return manifest.codebookUsage === undefined ? '' : `codebook usage ${manifest.codebookUsage}/${manifest.config.codebookSize}`;
}

/** The date part of an ISO time, "2026-11-23 01:52" (UTC). */
export function shortDate(iso: string): string {
  return iso.slice(0, 16).replace('T', ' ');
}

/**
 * Deletes the model folder `dir` (with everything in it). Refuses anything but a direct sub-folder of
 * `modelsRoot` that holds a manifest.json, so that a wrong argument can never delete other files.
 */
export async function deleteModelFolder(modelsRoot: string, dir: string): Promise<void> {
  const target = resolve(dir);
  if (dirname(target) !== resolve(modelsRoot)) {
    throw new Error(`Refusing to delete ${target}: it is not a model folder directly inside the models folder ${resolve(modelsRoot)}.`);
  }
  if (!(await readManifestJson(target))) throw new Error(`Refusing to delete ${target}: it has no readable ${MODEL_MANIFEST}, so it is not a model folder.`);
  await rm(target, { recursive: true, force: true });
}
