import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { UsageError } from '../../models/cliSupport';
import { BadInputError } from '../../models/io/errors';
import { scoresCsv } from '../../extension/scoresExport';
import { mergeScoreTables, parseScoresCsv, parseShard, scoresToCsv, shardFiles } from '../../models/scoreCsv';

describe('score shards and their CSV (score --shard I/N --csv, merge-scores)', () => {
  test('parseShard reads I/N with 0 <= I < N and refuses anything else', () => {
    assert.deepEqual(parseShard('0/1'), { index: 0, count: 1 });
    assert.deepEqual(parseShard('7/8'), { index: 7, count: 8 });
    for (const bad of ['8/8', '1/0', '-1/4', '1', '1/2/3', 'a/4', '1.5/4', '']) {
      assert.throws(() => parseShard(bad), UsageError, bad);
    }
  });

  test('the shards of a list split it: each file in exactly one shard, sizes within one of each other', () => {
    const files = Array.from({ length: 23 }, (_, i) => `scan${String(i).padStart(2, '0')}.nii.gz`);
    for (const count of [1, 2, 5, 23, 30]) {
      const shards = Array.from({ length: count }, (_, index) => shardFiles(files, { index, count }));
      assert.deepEqual(shards.flat().sort(), files, `count ${count}`);
      const sizes = shards.map((s) => s.length);
      assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `count ${count}: ${sizes}`);
    }
    assert.deepEqual(shardFiles(files, { index: 1, count: 10 }), ['scan01.nii.gz', 'scan11.nii.gz', 'scan21.nii.gz']);
  });

  test('scoresToCsv and parseScoresCsv round-trip, with quoting and every digit of the scores', () => {
    const rows = [
      { file: 'a/plain.png', score: 0.123456789012345 },
      { file: 'b/with,comma "and quotes".png', score: 1e-7 },
      { file: 'c/two\nlines.nii.gz', score: 2 },
    ];
    const csv = scoresToCsv(rows);
    assert.match(csv, /^file,score\r\na\/plain\.png,0\.123456789012345\r\n"b\/with,comma ""and quotes""\.png",1e-7\r\n/);
    assert.deepEqual(parseScoresCsv(csv, 'x.csv'), { header: 'file,score', rows });

    const withPrior = [
      { file: 'p.png', score: 0.5, priorScore: 3.25 },
      { file: 'q.png', score: 0.25 },
    ];
    const priorCsv = scoresToCsv(withPrior);
    assert.equal(priorCsv, 'file,score,prior_score\r\np.png,0.5,3.25\r\nq.png,0.25,\r\n');
    assert.deepEqual(parseScoresCsv(priorCsv, 'y.csv').rows, withPrior);
    // LF line ends and a byte order mark (a spreadsheet's export) read the same.
    assert.deepEqual(parseScoresCsv('\uFEFFfile,score\nz.png,1\n', 'z.csv').rows, [{ file: 'z.png', score: 1 }]);
  });

  test("the extension's Export folder scores CSV reads as a table too", () => {
    const exported = scoresCsv({ scores: [{ file: '/ws/a,1.png', kind: 'image', score: 0.5 }], skipped: [] }, (f) => f.replace('/ws/', ''));
    assert.deepEqual(parseScoresCsv(exported, 'export.csv').rows, [{ file: 'a,1.png', score: 0.5 }]);
  });

  test('parseScoresCsv names the file and row of a malformed table', () => {
    assert.throws(() => parseScoresCsv('name,value\r\n', 'a.csv'), /a\.csv: expected the header "file,score"/);
    assert.throws(() => parseScoresCsv('file,score\r\nx.png,high\r\n', 'b.csv'), /b\.csv: row 2: score "high" is not a number/);
    assert.throws(() => parseScoresCsv('file,score\r\nx.png\r\n', 'c.csv'), /c\.csv: row 2 has 1 fields, the header 2/);
    assert.throws(() => parseScoresCsv('file,score\r\n"x.png,1\r\n', 'd.csv'), BadInputError);
  });

  test('mergeScoreTables joins shards most anomalous first, the same as one table of all files', () => {
    const all = [
      { file: 'f0.png', score: 0.9 },
      { file: 'f1.png', score: 0.1 },
      { file: 'f2.png', score: 0.5 },
      { file: 'f3.png', score: 0.5 },
      { file: 'f4.png', score: 0.7 },
    ];
    const shards = [0, 1, 2].map((index) => {
      const rows = shardFiles(all, { index, count: 3 }).sort((a, b) => b.score - a.score);
      return { source: `shard-${index}.csv`, text: scoresToCsv(rows) };
    });
    const merged = mergeScoreTables(shards.reverse());
    assert.equal(merged.withPrior, false);
    assert.deepEqual(
      merged.rows.map((r) => r.file),
      ['f0.png', 'f4.png', 'f2.png', 'f3.png', 'f1.png'],
    );
    // An empty shard (more jobs than files) is a header alone.
    assert.deepEqual(mergeScoreTables([{ source: 'empty.csv', text: scoresToCsv([]) }, shards[0]]).rows.length, shards[0].text.split('\r\n').length - 2);
  });

  test('mergeScoreTables refuses overlapping shards and tables of different kinds', () => {
    const a = { source: 'a.csv', text: 'file,score\r\nx.png,1\r\n' };
    const b = { source: 'b.csv', text: 'file,score\r\nx.png,2\r\n' };
    assert.throws(() => mergeScoreTables([a, b]), /x\.png is in both a\.csv and b\.csv/);
    const prior = { source: 'p.csv', text: 'file,score,prior_score\r\ny.png,1,2\r\n' };
    assert.throws(() => mergeScoreTables([a, prior]), /p\.csv: its header "file,score,prior_score" differs from "file,score" of a\.csv/);
    assert.throws(() => mergeScoreTables([]), UsageError);
    assert.equal(mergeScoreTables([prior]).withPrior, true);
  });
});
