// Scoring a large archive as parallel jobs (docs/container.md): `score <model> <folder> --shard I/N --csv`
// scores every N-th file of the folder's sorted scan list from the I-th, as CSV; `merge-scores` joins the
// shards' CSV files into one table, most anomalous first. Plain functions, unit-tested
// (test/unit/scoreCsv.test.ts); the CLI (cli.ts) reads and writes the files.
import { UsageError } from './cliSupport';
import { BadInputError } from './io/errors';

/** Shard `index` (0-based) of `count`: the files whose position in the sorted list is `index` modulo `count`. */
export interface Shard {
  index: number;
  count: number;
}

/** One row of a scores table: the file (as the table names it), its scan score and its prior's LSR score. */
export interface ScoreRow {
  file: string;
  score: number;
  priorScore?: number;
}

const HEADER = 'file,score';
const HEADER_WITH_PRIOR = 'file,score,prior_score';

/** `--shard I/N`: 0 <= I < N, both integers (a Kubernetes indexed Job's JOB_COMPLETION_INDEX and completions). */
export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || !Number.isSafeInteger(index) || !Number.isSafeInteger(count) || count < 1 || index >= count) {
    throw new UsageError(`--shard: expected I/N with 0 <= I < N (e.g. 0/8), got "${text}"`);
  }
  return { index, count };
}

/**
 * The files of one shard: positions index, index + count, index + 2·count, ... of `files` (sorted by the
 * caller, so that every job of a Job splits the same list the same way). Taking every count-th file
 * rather than a contiguous block spreads large and small files, and whole sub-folders, over the shards.
 */
export function shardFiles<T>(files: readonly T[], shard: Shard): T[] {
  return files.filter((_, position) => position % shard.count === shard.index);
}

/** One CSV field: quoted (with quotes doubled) when it holds a comma, a quote or a line break (RFC 4180). */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/**
 * The table as CSV: `file,score`, or `file,score,prior_score` (empty for rows without one) when
 * `withPrior` (by default: when any row has a prior score); CRLF line ends as RFC 4180 says. Scores keep
 * every digit, so a merged table sorts exactly as one run would.
 */
export function scoresToCsv(rows: readonly ScoreRow[], withPrior = rows.some((row) => row.priorScore !== undefined)): string {
  const lines = rows.map(({ file, score, priorScore }) => (withPrior ? `${csvField(file)},${score},${priorScore ?? ''}` : `${csvField(file)},${score}`));
  return `${[withPrior ? HEADER_WITH_PRIOR : HEADER, ...lines].join('\r\n')}\r\n`;
}

/** Splits CSV text into records of fields (RFC 4180: quoted fields may hold commas, quotes and line breaks). */
function csvRecords(text: string, source: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const endField = () => {
    record.push(field);
    field = '';
  };
  const endRecord = () => {
    endField();
    records.push(record);
    record = [];
  };
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (c === '"') quoted = false;
      else field += c;
      i++;
      continue;
    }
    if (c === '"' && field === '') quoted = true;
    else if (c === ',') endField();
    else if (c === '\n' || c === '\r') {
      endRecord();
      if (c === '\r' && text[i + 1] === '\n') i++;
    } else field += c;
    i++;
  }
  if (quoted) throw new BadInputError(`${source}: a quoted field is not closed`);
  if (field !== '' || record.length > 0) endRecord();
  return records;
}

/** Reads a scores table written by scoresToCsv (or the extension's Export folder scores, `file,score`). */
export function parseScoresCsv(text: string, source: string): { header: string; rows: ScoreRow[] } {
  const [headerFields, ...records] = csvRecords(text.replace(/^\uFEFF/, ''), source);
  const header = (headerFields ?? []).join(',');
  if (header !== HEADER && header !== HEADER_WITH_PRIOR) {
    throw new BadInputError(`${source}: expected the header "${HEADER}" or "${HEADER_WITH_PRIOR}", got "${header}"`);
  }
  const columns = header.split(',').length;
  const number = (value: string, line: number, column: string): number => {
    const parsed = Number(value);
    if (value.trim() === '' || !Number.isFinite(parsed)) throw new BadInputError(`${source}: row ${line}: ${column} "${value}" is not a number`);
    return parsed;
  };
  const rows = records.map((fields, k) => {
    const line = k + 2;
    if (fields.length !== columns) throw new BadInputError(`${source}: row ${line} has ${fields.length} fields, the header ${columns}`);
    const [file, score, priorScore] = fields;
    if (file === '') throw new BadInputError(`${source}: row ${line} names no file`);
    const row: ScoreRow = { file, score: number(score, line, 'score') };
    if (priorScore !== undefined && priorScore !== '') row.priorScore = number(priorScore, line, 'prior_score');
    return row;
  });
  return { header, rows };
}

/**
 * Joins the shards' tables into one, most anomalous first (ties by file name, so the result does not
 * depend on the order of the inputs). The tables must share their header (the same kind of model), and a
 * file may appear in only one of them: two shards that overlap mean a wrong --shard.
 */
export function mergeScoreTables(tables: readonly { source: string; text: string }[]): { withPrior: boolean; rows: ScoreRow[] } {
  if (tables.length === 0) throw new UsageError('merge-scores needs at least one CSV file');
  const firstSeen = new Map<string, string>();
  let firstHeader: { header: string; source: string } | undefined;
  const merged: ScoreRow[] = [];
  for (const { source, text } of tables) {
    const { header, rows } = parseScoresCsv(text, source);
    firstHeader ??= { header, source };
    if (header !== firstHeader.header) {
      throw new BadInputError(`${source}: its header "${header}" differs from "${firstHeader.header}" of ${firstHeader.source}`);
    }
    for (const row of rows) {
      const earlier = firstSeen.get(row.file);
      if (earlier !== undefined) throw new BadInputError(`${row.file} is in both ${earlier} and ${source}: do the shards overlap?`);
      firstSeen.set(row.file, source);
      merged.push(row);
    }
  }
  merged.sort((a, b) => b.score - a.score || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { withPrior: firstHeader?.header === HEADER_WITH_PRIOR, rows: merged };
}
