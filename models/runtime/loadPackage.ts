// Loads optional packages (tfjs backends, Dawn) at run time from where this code runs (the extension's
// dist/), never at bundle time, or else from extra node_modules folders (where the extension installs the
// native backends on the user's machine). Errors say "<name> is not installed" or why an installed one
// failed to load.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const requireAtRunTime = createRequire(__filename);

/** The first line of an error's message (native load errors can run over many lines). */
export function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0];
}

/** The entry file of a package found from `searchFrom`, or undefined when it is not there. */
function tryResolve(name: string, searchFrom?: { paths: string[] }): string | undefined {
  try {
    return requireAtRunTime.resolve(name, searchFrom);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') return undefined;
    throw error;
  }
}

/**
 * The entry file of an installed package, looked up first from this code's folder, then in each of
 * `extraModulePaths` (node_modules folders); throws "<name> is not installed" when it is in none.
 */
export function resolvePackage(name: string, extraModulePaths: readonly string[] = []): string {
  const entry = tryResolve(name) ?? (extraModulePaths.length > 0 ? tryResolve(name, { paths: [...extraModulePaths] }) : undefined);
  if (entry === undefined) throw new Error(`${name} is not installed`);
  return entry;
}

/** require() of a CommonJS package. */
export function requirePackage(name: string, extraModulePaths: readonly string[] = []): unknown {
  const entry = resolvePackage(name, extraModulePaths);
  try {
    return requireAtRunTime(entry);
  } catch (error) {
    throw new Error(`${name} is installed but failed to load: ${firstLine(error)}`);
  }
}

/** require() of a CommonJS file given by its path. */
export function requireFile(path: string): unknown {
  return requireAtRunTime(path);
}

/** import() of an ES-module package. */
export async function importPackage(name: string, extraModulePaths: readonly string[] = []): Promise<unknown> {
  const entry = resolvePackage(name, extraModulePaths);
  try {
    return await import(pathToFileURL(entry).href);
  } catch (error) {
    throw new Error(`${name} is installed but failed to load: ${firstLine(error)}`);
  }
}
