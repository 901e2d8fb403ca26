// Loads optional packages (tfjs backends, Dawn) at run time from where this code runs (the extension's
// dist/), never at bundle time. Errors say "<name> is not installed" or why an installed one failed to load.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const requireAtRunTime = createRequire(__filename);

/** The first line of an error's message (native load errors can run over many lines). */
export function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0];
}

/** The entry file of an installed package; throws "<name> is not installed" when it is absent. */
function resolvePackage(name: string): string {
  try {
    return requireAtRunTime.resolve(name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') throw new Error(`${name} is not installed`);
    throw error;
  }
}

/** require() of a CommonJS package. */
export function requirePackage(name: string): unknown {
  const entry = resolvePackage(name);
  try {
    return requireAtRunTime(entry);
  } catch (error) {
    throw new Error(`${name} is installed but failed to load: ${firstLine(error)}`);
  }
}

/** import() of an ES-module package. */
export async function importPackage(name: string): Promise<unknown> {
  const entry = resolvePackage(name);
  try {
    return await import(pathToFileURL(entry).href);
  } catch (error) {
    throw new Error(`${name} is installed but failed to load: ${firstLine(error)}`);
  }
}
