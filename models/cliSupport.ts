// What the command-line entry points (cli.ts, evaluateCli.ts) share: usage mistakes, how an error
// becomes an exit code, and number flags.
import { BadInputError } from './io/errors';

/** A mistake in the command line: reported with the usage text. */
export class UsageError extends Error {}

/** Prints `error` and returns the exit code: 2 with `usage` for command-line mistakes, 1 for anything else. */
export function reportCliError(error: unknown, usage: string): number {
  if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    console.error(`${(error as Error).message}\n\n${usage}`);
    return 2;
  }
  console.error(error instanceof BadInputError ? error.message : error);
  return 1;
}

/** A number from a flag's text; whether it suits its field is the caller's (or the configuration's) check. */
export function parseNumber(flag: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new UsageError(`--${flag}: expected a number, got "${text}"`);
  return value;
}
