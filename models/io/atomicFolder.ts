// Writes a folder of files so that a crash leaves either the previous folder or the new one, never a mix
// (model folders: models/vqvae/checkpoint.ts; priors: models/prior/priorCheckpoint.ts), or one file so.
import { promises as fs } from 'node:fs';
import { dirname, join } from 'node:path';

async function writeFileSynced(file: string, data: string | Uint8Array): Promise<void> {
  const handle = await fs.open(file, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Flushes a folder's entries (renames, new files) to disk; Windows cannot open folders for this. */
async function syncFolder(folder: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await fs.open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Replaces one file so that a crash leaves the old content or the new, never a part: a synced sibling renamed over it. */
export async function writeFileAtomically(file: string, data: string | Uint8Array): Promise<void> {
  const temp = `${file}.tmp-${process.pid}`;
  try {
    await writeFileSynced(temp, data);
    await fs.rename(temp, file);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
  await syncFolder(dirname(file));
}

/** The sibling a folder is written into before it replaces `dir`. */
const tempFolderOf = (dir: string): string => `${dir}.tmp-${process.pid}`;
/** The sibling the replaced folder is renamed to until the new one is in place. */
const oldFolderOf = (dir: string): string => `${dir}.old-${process.pid}-${Date.now()}`;
/** Names of those siblings: a folder listing (e.g. of models) skips them. */
const TRANSIENT_FOLDER = /\.(tmp-\d+|old-\d+-\d+)$/;

/** True for the name of a folder that writeFolderAtomically is writing or replacing right now (or left by a crash). */
export function isTransientFolderName(name: string): boolean {
  return TRANSIENT_FOLDER.test(name);
}

const exists = (path: string): Promise<boolean> =>
  fs.access(path).then(
    () => true,
    () => false,
  );

/**
 * Replaces `dir` by a folder holding exactly `files` (path relative to it -> content; sub-folders are
 * created) and the sub-folders of the old `dir` named in `keep` (moved over, not copied; `files` must not
 * write into them): everything is written and flushed into the sibling `<dir>.tmp-<pid>`, the old folder
 * is renamed away, its kept sub-folders moved into the new one, the new one renamed into place, and only
 * then is the old one deleted.
 */
export async function writeFolderAtomically(dir: string, files: Record<string, string | Uint8Array>, keep: readonly string[] = []): Promise<void> {
  const temp = tempFolderOf(dir);
  await fs.rm(temp, { recursive: true, force: true });
  await fs.mkdir(temp, { recursive: true });
  for (const [relative, content] of Object.entries(files)) {
    const file = join(temp, relative);
    await fs.mkdir(dirname(file), { recursive: true });
    await writeFileSynced(file, content);
    if (dirname(file) !== temp) await syncFolder(dirname(file));
  }
  await syncFolder(temp);

  const old = oldFolderOf(dir);
  const hadOld = await exists(dir);
  if (hadOld) {
    await fs.rename(dir, old);
    for (const name of keep) if (await exists(join(old, name))) await fs.rename(join(old, name), join(temp, name));
  }
  await fs.rename(temp, dir);
  await syncFolder(dirname(dir));
  if (hadOld) await fs.rm(old, { recursive: true, force: true });
}
