// The `evaluate` command of the CLI (methods.md §8): scores a labelled test set with a trained model
// and writes the metrics report. Progress goes to stderr, the metrics table to stdout.

import { parseArgs } from 'node:util';
import {
  backendLog,
  EXIT,
  parseNumber,
  plural,
  POST_PROCESSING_USAGE,
  postProcessingFlags,
  reportCliError,
  threadsFlag,
  UsageError,
  wholeNumber,
} from './cliSupport';
import { selectBackend } from './runtime/backend';
import { BACKEND_ORDER, BACKEND_PREFERENCES, isBackendPreference, type BackendPreference } from './runtime/backendNames';
import { DEFAULT_MAX_FPR } from './metrics/auPro';
import { DEFAULT_MIN_LESION_AREA, evaluateModel } from './evaluate/evaluateModel';
import { LABEL_THRESHOLD, labelledTestSet } from './evaluate/labelledScans';
import { MASK_CONVENTIONS } from './io/maskConventions';
import { markdownReport } from './evaluate/markdownReport';
import { DEFAULT_MAX_PIXELS } from './evaluate/pixelSample';
import { REPORT_MARKDOWN, writeReport } from './evaluate/writeReport';
import { DEFAULT_PRIOR_MAP_OPTIONS } from './scoring/priorMaps';

export const EVALUATE_USAGE = `Usage:
  node dist/cli.js evaluate <modelDir> <folder|test.csv> --out <reportDir> [options]
      --limit N            evaluate N scans, evenly spaced over the test set (default: all)
      --max-pixels N       pixels kept for the pixel metrics (default ${DEFAULT_MAX_PIXELS}; all anomalous pixels are always kept)
      --min-lesion-area N  a volume slice is an anomalous sample from N lesion pixels (default ${DEFAULT_MIN_LESION_AREA})
      --max-fpr X          AUPRO integration limit (default ${DEFAULT_MAX_FPR})
      --restorations S  --kde-samplings N   with a prior: LSR restorations and KDE samplings (0 = off; defaults ${DEFAULT_PRIOR_MAP_OPTIONS.restorationSamples}, ${DEFAULT_PRIOR_MAP_OPTIONS.kdeSamplings})
      --lambda-s X  --lambda-p X            fixed LSR thresholds instead of the prior's calibrated ones
      --restoration-reference input|reconstruction   restorations compared to the input (LSR, default) or the reconstruction (LSGS)
${POST_PROCESSING_USAGE}
      --volume N           4D NIfTI scans: the volume to evaluate, from 0 (default 0)
      --backend auto|${BACKEND_ORDER.join('|')}  (default auto)   --threads N  wasm threads (default 0: every core)
      --verbose  also lists the backends skipped
A folder's masks are found by name: ${MASK_CONVENTIONS}.
A CSV has the columns image,mask,label,defect_type with paths relative to the CSV; a label is 1 or 0,
or a number (a probability): defective from ${LABEL_THRESHOLD}. A 2D mask of another size is resized to its scan.
Writes <reportDir>/report.json, report.md, the ROC / PR plots (SVG) and example overlays (PNG).
Exit codes: 0 every scan evaluated, 1 an error (or no scan could be evaluated), 2 a mistake in the
command line, 3 some scans were skipped (e.g. a mask that is missing; listed in the report).`;

const log = (line: string) => process.stderr.write(`${line}\n`);

/** Runs `evaluate` with the arguments that follow the command name; resolves with the exit code. */
export async function runEvaluateCommand(argv: string[]): Promise<number> {
  try {
    const { positionals, values } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        out: { type: 'string' },
        limit: { type: 'string' },
        'max-pixels': { type: 'string' },
        'min-lesion-area': { type: 'string' },
        'max-fpr': { type: 'string' },
        restorations: { type: 'string' },
        'kde-samplings': { type: 'string' },
        'lambda-s': { type: 'string' },
        'lambda-p': { type: 'string' },
        'restoration-reference': { type: 'string' },
        volume: { type: 'string' },
        backend: { type: 'string' },
        threads: { type: 'string' },
        verbose: { type: 'boolean' },
        modality: { type: 'string' },
        polarity: { type: 'string' },
        erosion: { type: 'string' },
        median: { type: 'string' },
        'hyperintensity-percentile': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      console.log(EVALUATE_USAGE);
      return 0;
    }
    if (positionals.length !== 2) throw new UsageError(`Expected <modelDir> <folder|test.csv>, got ${positionals.length} arguments`);
    const [modelDir, testSet] = positionals;
    if (typeof values.out !== 'string') throw new UsageError('evaluate needs --out <reportDir>');
    const priorMaps = {
      ...(values.restorations !== undefined && { restorationSamples: wholeNumber('restorations', values.restorations) }),
      ...(values['kde-samplings'] !== undefined && { kdeSamplings: wholeNumber('kde-samplings', values['kde-samplings']) }),
      ...(values['lambda-s'] !== undefined && { lambdaS: parseNumber('lambda-s', values['lambda-s']) }),
      ...(values['lambda-p'] !== undefined && { lambdaP: parseNumber('lambda-p', values['lambda-p']) }),
      ...(values['restoration-reference'] !== undefined && { restorationReference: restorationReference(values['restoration-reference']) }),
    };
    const options = {
      limit: positiveInteger('limit', values.limit),
      maxPixels: positiveInteger('max-pixels', values['max-pixels']),
      minLesionArea: positiveInteger('min-lesion-area', values['min-lesion-area']),
      maxFpr: values['max-fpr'] === undefined ? undefined : fraction('max-fpr', values['max-fpr']),
      volumeIndex: values.volume === undefined ? undefined : wholeNumber('volume', values.volume),
      scoring: { priorMaps, ...postProcessingFlags(values) },
    };
    const preference = backendFlag(values.backend);
    const scans = labelledTestSet(testSet);
    const backend = await selectBackend(preference, backendLog(values.verbose === true, log), threadsFlag(values.threads));
    const evaluation = await evaluateModel(modelDir, scans, { ...options, backend: backend.name, testSet, log });
    writeReport(evaluation, values.out);
    console.log(markdownReport(evaluation.report));
    log(`Report written to ${values.out}/${REPORT_MARKDOWN}`);
    const evaluated = evaluation.report.counts.scans;
    const skipped = evaluation.report.skipped.length;
    log(`evaluated ${evaluated} of ${plural(evaluated + skipped, 'scan')}${skipped > 0 ? `; ${skipped} skipped (listed in the report)` : ''}`);
    return skipped > 0 ? EXIT.partlyScored : EXIT.ok;
  } catch (error) {
    return reportCliError(error, 'Run "node dist/cli.js evaluate --help" for the usage.');
  }
}

function positiveInteger(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new UsageError(`--${flag}: expected a positive integer, got "${text}"`);
  return value;
}

const RESTORATION_REFERENCES = ['input', 'reconstruction'] as const;

function restorationReference(text: string): (typeof RESTORATION_REFERENCES)[number] {
  const choice = RESTORATION_REFERENCES.find((reference) => reference === text);
  if (!choice) throw new UsageError(`--restoration-reference: expected input or reconstruction, got "${text}"`);
  return choice;
}

function fraction(flag: string, text: string): number {
  const value = Number(text);
  if (!(value > 0 && value <= 1)) throw new UsageError(`--${flag}: expected a number in (0, 1], got "${text}"`);
  return value;
}

function backendFlag(value: string | undefined): BackendPreference {
  if (value === undefined) return 'auto';
  if (!isBackendPreference(value)) throw new UsageError(`--backend: expected one of ${BACKEND_PREFERENCES.join(', ')}`);
  return value;
}
