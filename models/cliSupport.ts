// What the command-line entry points (cli.ts, evaluateCli.ts) share: usage mistakes, how an error
// becomes an exit code, and number flags.
import { BadInputError } from './io/errors';
import { MODALITIES } from './scoring/modality';
import { POLARITIES, type PostProcessing } from './scoring/postProcessing';
import type { ScoringParameters } from './worker/protocol';

/** A mistake in the command line: reported with a hint where the usage is. */
export class UsageError extends Error {}

/** The exit codes of the CLI (README: Command line). */
export const EXIT = { ok: 0, failed: 1, usage: 2, partlyScored: 3 } as const;

/** Prints `error` and returns the exit code: 2 with `helpHint` (one line) for command-line mistakes, 1 for anything else. */
export function reportCliError(error: unknown, helpHint: string): number {
  if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    console.error(`${(error as Error).message}\n${helpHint}`);
    return EXIT.usage;
  }
  console.error(error instanceof BadInputError ? error.message : error);
  return EXIT.failed;
}

/** The log of backend selection: the backends skipped before the one selected only with --verbose. */
export function backendLog(verbose: boolean, log: (line: string) => void): (line: string) => void {
  return (line) => (verbose || !/^backend \S+: skipped/.test(line)) && log(line);
}

/** The scoring pool workers' log: their backend lines only with --verbose (the command's own backend line says which one runs). */
export function poolWorkerLog(verbose: boolean, log: (line: string) => void): (line: string) => void {
  return (line) => (verbose || !/^backend \S+: /.test(line)) && log(line);
}

/** A skipped file's line: its reason without the file name that a file's error message starts with. */
export function skippedLine(file: string, reason: string): string {
  return `skipped ${file}: ${reason.startsWith(`${file}: `) ? reason.slice(file.length + 2) : reason}`;
}

/** "1 epoch", "2 epochs". */
export const plural = (count: number, noun: string): string => `${count} ${noun}${count === 1 ? '' : 's'}`;

/** A number from a flag's text; whether it suits its field is the caller's (or the configuration's) check. */
export function parseNumber(flag: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new UsageError(`--${flag}: expected a number, got "${text}"`);
  return value;
}

/** One of `choices`, named by the flag (a flag given without a value is no choice). */
export function choiceOf<Choice extends string>(flag: string, value: unknown, choices: readonly Choice[]): Choice {
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
    throw new UsageError(`--${flag}: expected one of ${choices.join(', ')}, got "${String(value)}"`);
  }
  return value as Choice;
}

/** A whole number >= 0 from a flag's text. */
export function wholeNumber(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new UsageError(`--${flag}: expected a whole number >= 0, got "${text}"`);
  return value;
}

/** The wasm backend's options from `--threads N` (0 or none: every core). */
export function threadsFlag(text: string | boolean | undefined): { wasmThreads?: number } {
  return text === undefined ? {} : { wasmThreads: wholeNumber('threads', String(text)) };
}

/** The flags of the post-processing stage (scoring/postProcessing.ts), shared by score and evaluate. */
export const POST_PROCESSING_FLAGS = ['modality', 'polarity', 'erosion', 'median', 'hyperintensity-percentile'] as const;

export const POST_PROCESSING_USAGE = `      --modality ${MODALITIES.join('|')}   chooses the post-processing defaults (default: from the file name, e.g. *FLAIR*)
      --polarity ${POLARITIES.join('|')}  --erosion N  --median N  --hyperintensity-percentile P|off   override them`;

/** The post-processing settings and the modality given on the command line. */
export function postProcessingFlags(
  flags: Partial<Record<(typeof POST_PROCESSING_FLAGS)[number], string | boolean | undefined>>,
): Pick<ScoringParameters, 'modality' | 'postProcessing'> {
  const postProcessing: Partial<PostProcessing> = {};
  if (flags.polarity !== undefined) postProcessing.polarity = choiceOf('polarity', flags.polarity, POLARITIES);
  if (flags.erosion !== undefined) postProcessing.erosion = wholeNumber('erosion', String(flags.erosion));
  if (flags.median !== undefined) postProcessing.medianSize = wholeNumber('median', String(flags.median));
  const hyper = flags['hyperintensity-percentile'];
  if (hyper !== undefined) postProcessing.hyperintensityPercentile = hyper === 'off' ? null : parseNumber('hyperintensity-percentile', String(hyper));
  return {
    ...(flags.modality !== undefined && { modality: choiceOf('modality', flags.modality, MODALITIES) }),
    ...(Object.keys(postProcessing).length > 0 && { postProcessing }),
  };
}
