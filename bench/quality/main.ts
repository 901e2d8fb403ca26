// `npm run bench:quality [--only brain-ms|magnetic-tile] [--quick]`: trains each data set's recipe on
// the shared data and evaluates every map the product ships and the baselines without a model on the
// same pixels (methods.md §11). Prints one table per data set and writes docs/quality.json and
// out/quality/quality.md (the section docs/RESULTS.md quotes). --quick: no prior, 150 tile images;
// --min-steps N: train N steps instead of the recipe's (a smoke test of the pipeline, not a result);
// --preset NAME: the recipe's training with another model size (e.g. cpu-fine); --report: print the
// report of the runs in docs/quality.json without running anything.
// Comparing post-processing settings: --reuse-model (with --quick) evaluates the model an earlier run
// trained in out/quality/NAME/model when its recipe matches, instead of training; --polarity, --erosion,
// --median, --hyperintensity-percentile override the modality's defaults (as in the CLI's evaluate);
// --tuning evaluates magnetic-tile on the test rows the quick run does not use. A run with any of
// these overrides or --tuning writes only out/quality/quality.md, not docs/quality.json.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { selectBackend } from '../../models/runtime/backend';
import { isBackendPreference } from '../../models/runtime/backendNames';
import { postProcessingFlags } from '../../models/cliSupport';
import { isPresetName } from '../../models/vqvae/presets';
import { DATASET_NAMES, prepareDataset, type DatasetName } from './datasets';
import { markdownTable, qualityEntry, summaryLines, type QualityEntry } from './report';
import { runDataset } from './run';
import { targetChecks } from './targets';

const DATA = resolve(process.env.BENCH_DATA ?? '../shared/data');
const WORK = resolve('out/quality');
const JSON_FILE = 'docs/quality.json';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      only: { type: 'string' },
      quick: { type: 'boolean' },
      backend: { type: 'string' },
      'min-steps': { type: 'string' },
      preset: { type: 'string' },
      report: { type: 'boolean' },
      'reuse-model': { type: 'boolean' },
      tuning: { type: 'boolean' },
      polarity: { type: 'string' },
      erosion: { type: 'string' },
      median: { type: 'string' },
      'hyperintensity-percentile': { type: 'string' },
    },
  });
  const names = values.only ? [values.only as DatasetName] : [...DATASET_NAMES];
  if (names.some((name) => !DATASET_NAMES.includes(name))) throw new Error(`--only: expected one of ${DATASET_NAMES.join(', ')}, got ${values.only}`);
  const preference = values.backend ?? process.env.BENCH_BACKEND ?? 'wasm';
  if (!isBackendPreference(preference)) throw new Error(`--backend: unknown backend ${preference}`);
  const backend = await selectBackend(preference, () => undefined);
  const quick = values.quick === true;
  const { postProcessing } = postProcessingFlags(values);
  const tuning = values.tuning === true;
  // A run that is not the recipe as shipped, on the reported test scans, must not replace the reported figures.
  const reported = postProcessing === undefined && !tuning;

  const previous = readPrevious();
  if (values.report) {
    // Only the report of the runs in docs/quality.json, e.g. to rewrite docs/RESULTS.md.
    for (const [name, entry] of Object.entries(previous.datasets) as [DatasetName, QualityEntry & { quick?: boolean }][])
      console.log(section(name, entry, entry.quick === true));
    return;
  }
  const sections: string[] = [];
  for (const name of names) {
    const work = join(WORK, name);
    mkdirSync(work, { recursive: true });
    const dataset = await prepareDataset(name, DATA, work, { quick, postProcessing, tuning });
    const minSteps = values['min-steps'] === undefined ? undefined : Number(values['min-steps']);
    if (values.preset !== undefined && !isPresetName(values.preset)) throw new Error(`--preset: unknown preset ${values.preset}`);
    const run = await runDataset(dataset, work, backend.name, !quick, { minSteps, preset: values.preset, postProcessing, reuseModel: values['reuse-model'] });
    const entry = qualityEntry(run, name === 'brain-ms');
    previous.datasets[name] = { ...entry, quick } as QualityEntry & { quick: boolean };
    writeFileSync(join(work, 'run.json'), JSON.stringify({ ...entry, quick, tuning }, null, 2) + '\n');
    const text = section(name, entry, quick, tuning);
    console.log(text);
    sections.push(text);
  }
  if (reported) writeFileSync(JSON_FILE, JSON.stringify({ created: new Date().toISOString(), ...previous }, null, 2) + '\n');
  writeFileSync(join(WORK, 'quality.md'), sections.join('\n'));
  console.error(`wrote ${reported ? `${JSON_FILE}, ` : ''}${join(WORK, 'quality.md')} and out/quality/NAME/run.json`);
}

/** A data set's report: its summary, the table of maps and baselines, and the targets met or missed. */
function section(name: DatasetName, entry: QualityEntry, quick: boolean, tuning = false): string {
  const targets = targetChecks(name, entry).map((c) => `- ${c.met ? 'met' : '**missed**'}: ${c.target} (${c.detail})`);
  return [
    `### ${name}${quick ? ' (quick)' : ''}${tuning ? ', tuning split' : ''}`,
    '',
    ...summaryLines(name, entry).map((l) => `- ${l}`),
    '',
    markdownTable(name, entry),
    '',
    'Targets:',
    '',
    ...targets,
    '',
  ].join('\n');
}

/** The JSON of earlier runs, so that `--only` replaces one data set and keeps the other. */
function readPrevious(): { datasets: Record<string, unknown> } {
  try {
    const parsed = JSON.parse(readFileSync(JSON_FILE, 'utf8')) as { datasets?: Record<string, unknown> };
    return { datasets: parsed.datasets ?? {} };
  } catch {
    return { datasets: {} };
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
