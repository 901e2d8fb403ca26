// `npm run bench:quality [--only brain-ms|magnetic-tile] [--quick]`: trains each data set's recipe on
// the shared data and evaluates every map the product ships and the baselines without a model on the
// same pixels (methods.md §11). Prints one table per data set and writes docs/quality.json and
// out/quality/quality.md (the section docs/RESULTS.md quotes). --quick: no prior, 150 tile images;
// --min-steps N: train N steps instead of the recipe's (a smoke test of the pipeline, not a result);
// --preset NAME: the recipe's training with another model size (e.g. cpu-fine); --report: print the
// report of the runs in docs/quality.json without running anything.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { selectBackend } from '../../models/runtime/backend';
import { isBackendPreference } from '../../models/runtime/backendNames';
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
    },
  });
  const names = values.only ? [values.only as DatasetName] : [...DATASET_NAMES];
  if (names.some((name) => !DATASET_NAMES.includes(name))) throw new Error(`--only: expected one of ${DATASET_NAMES.join(', ')}, got ${values.only}`);
  const preference = values.backend ?? process.env.BENCH_BACKEND ?? 'wasm';
  if (!isBackendPreference(preference)) throw new Error(`--backend: unknown backend ${preference}`);
  const backend = await selectBackend(preference, () => undefined);
  const quick = values.quick === true;

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
    const dataset = await prepareDataset(name, DATA, work, quick);
    const minSteps = values['min-steps'] === undefined ? undefined : Number(values['min-steps']);
    if (values.preset !== undefined && !isPresetName(values.preset)) throw new Error(`--preset: unknown preset ${values.preset}`);
    const run = await runDataset(dataset, work, backend.name, !quick, { minSteps, preset: values.preset });
    const entry = qualityEntry(run, name === 'brain-ms');
    previous.datasets[name] = { ...entry, quick } as QualityEntry & { quick: boolean };
    const text = section(name, entry, quick);
    console.log(text);
    sections.push(text);
  }
  writeFileSync(JSON_FILE, JSON.stringify({ created: new Date().toISOString(), ...previous }, null, 2) + '\n');
  writeFileSync(join(WORK, 'quality.md'), sections.join('\n'));
  console.error(`wrote ${JSON_FILE} and ${join(WORK, 'quality.md')}`);
}

/** A data set's report: its summary, the table of maps and baselines, and the targets met or missed. */
function section(name: DatasetName, entry: QualityEntry, quick: boolean): string {
  const targets = targetChecks(name, entry).map((c) => `- ${c.met ? 'met' : '**missed**'}: ${c.target} (${c.detail})`);
  return [
    `### ${name}${quick ? ' (quick)' : ''}`,
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
