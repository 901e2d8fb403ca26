// What the log says after a folder was scored: the ranking, the files skipped and the scans unlike the
// training data. A folder of thousands of scans would flood the output channel with one line each, so
// each list shows its first LOG_LIMIT entries and then how many more there are (all of them are in the
// Quick Pick, the gallery and "Export folder scores"). Pure: the command writes the lines.

import { KIND_TITLES, groupByKind } from '../models/scoring/ranking';
import { unlikeTrainingText } from '../models/scoring/trainingFit';
import type { ScoreFolderResult } from '../models/worker/protocol';

/** Entries of each list written out before the rest is counted. */
export const LOG_LIMIT = 20;

export interface LogLine {
  level: 'info' | 'warn';
  text: string;
}

/** The first `limit` of `items` as lines, then "… and N more <what>" for the rest. */
function firstOf<T>(items: T[], limit: number, line: (item: T) => string, what: string): string[] {
  const shown = items.slice(0, limit).map(line);
  return items.length > limit ? [...shown, `  … and ${items.length - limit} more ${what}`] : shown;
}

/** The log lines of a folder's scores, `name` giving each file's path as the user reads it. */
export function scoreLogLines(result: ScoreFolderResult, name: (file: string) => string, limit = LOG_LIMIT): LogLine[] {
  const lines: LogLine[] = [];
  const info = (text: string) => lines.push({ level: 'info', text });
  const warn = (text: string) => lines.push({ level: 'warn', text });
  for (const group of groupByKind(result.scores)) {
    info(`${KIND_TITLES[group.kind]} (${group.scores.length}):`);
    firstOf(
      group.scores,
      limit,
      ({ file, score }) => `  ${score.toFixed(4)}  ${name(file)}`,
      '(less anomalous; "Export folder scores" lists them all)',
    ).forEach(info);
  }
  if (result.skipped.length > 0) warn(`Skipped (${result.skipped.length}):`);
  firstOf(result.skipped, limit, ({ file, reason }) => `  skipped ${name(file)}: ${reason}`, 'skipped').forEach(warn);
  const unlike = result.scores.filter(({ warnings = [] }) => warnings.length > 0);
  if (unlike.length > 0) warn(`Unlike the training data (${unlike.length}):`);
  firstOf(unlike, limit, ({ file, warnings = [] }) => `  ${unlikeTrainingText(name(file), warnings)}`, 'unlike the training data').forEach(warn);
  return lines;
}
