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

  it('adds the normal percentile where the model has normal scans of the kind (empty for the volume), in CSV and JSON', () => {
    const ranked: ScoreFolderResult = {
      scores: [
        { file: '/ws/scans/brain.nii.gz', kind: 'volume', score: 0.5 },
        { file: '/ws/scans/a.png', kind: 'image', score: 0.25, normalRank: { percentile: 95, count: 20 } },
      ],
      skipped: [],
    };
    assert.equal(scoresCsv(ranked, relative), 'file,score,normal_percentile\r\nscans/brain.nii.gz,0.5,\r\nscans/a.png,0.25,95\r\n');
    assert.deepEqual(JSON.parse(scoresFileText('/ws/out/s.json', ranked, relative)).scores[1], {
      file: 'scans/a.png',
      kind: 'image',
      score: 0.25,
      normalRank: { percentile: 95, count: 20 },
    });
  });
});
