// extension/scoresExport.ts: the folder scores as CSV (RFC 4180 quoting) and JSON.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { csvField, scoresCsv, scoresFileText } from '../../extension/scoresExport';
import type { ScoreFolderResult } from '../../models/worker/protocol';

const result: ScoreFolderResult = {
  scores: [
    { file: '/ws/scans/b,2.png', kind: 'image', score: 0.25 },
    { file: '/ws/scans/say "a".png', kind: 'image', score: 0.125 },
  ],
  skipped: [{ file: '/ws/scans/mask.png', reason: 'a mask (ground truth), not a scan' }],
};
const relative = (file: string) => file.replace('/ws/', '');

describe('scores export', () => {
  it('quotes CSV fields only when they hold a comma, a quote or a line break, doubling quotes', () => {
    assert.equal(csvField('scans/a.png'), 'scans/a.png');
    assert.equal(csvField('a,b'), '"a,b"');
    assert.equal(csvField('say "hi"'), '"say ""hi"""');
    assert.equal(csvField('two\nlines'), '"two\nlines"');
  });

  it('writes a header and one row per scored file, in the given (most anomalous first) order', () => {
    assert.equal(scoresCsv(result, relative), 'file,score\r\n"scans/b,2.png",0.25\r\n"scans/say ""a"".png",0.125\r\n');
  });

  it("writes JSON for a .json file, with each score's kind and the skipped files and their reasons", () => {
    const parsed = JSON.parse(scoresFileText('/ws/out/Scores.JSON', result, relative));
    assert.deepEqual(parsed, {
      scores: [
        { file: 'scans/b,2.png', kind: 'image', score: 0.25 },
        { file: 'scans/say "a".png', kind: 'image', score: 0.125 },
      ],
      skipped: [{ file: 'scans/mask.png', reason: 'a mask (ground truth), not a scan' }],
    });
    assert.match(scoresFileText('/ws/out/scores.csv', result, relative), /^file,score\r\n/);
  });
});
