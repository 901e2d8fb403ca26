// extension/workspacePaths.ts: the inside-the-workspace check every written path passes.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OutsideWorkspaceError, requireInsideWorkspace } from '../../extension/workspacePaths';
import { isInsideFolder } from '../../models/io/insideFolder';
import { patternBelow } from '../../models/worker/jobs';

describe('isInsideFolder', () => {
  it('accepts the folder itself and anything below it', () => {
    assert.equal(isInsideFolder('/ws', '/ws'), true);
    assert.equal(isInsideFolder('/ws', '/ws/anomaly-exports/a.nii.gz'), true);
    assert.equal(isInsideFolder('/ws/', '/ws/x/../y'), true);
    assert.equal(isInsideFolder('/ws', '/ws/..hidden'), true, 'a name starting with two dots is still inside');
  });

  it('refuses parents, siblings with the same prefix and escapes through ..', () => {
    assert.equal(isInsideFolder('/ws', '/'), false);
    assert.equal(isInsideFolder('/ws', '/ws-other/file.csv'), false);
    assert.equal(isInsideFolder('/ws', '/ws/a/../../etc/passwd'), false);
  });
});

describe('requireInsideWorkspace', () => {
  it('returns the resolved path inside, and throws naming both paths outside', () => {
    assert.equal(requireInsideWorkspace('/ws', '/ws/out/../scores.csv', 'The scores file'), '/ws/scores.csv');
    assert.throws(
      () => requireInsideWorkspace('/ws', '/tmp/scores.csv', 'The scores file'),
      (error: unknown) =>
        error instanceof OutsideWorkspaceError && /The scores file must be inside the workspace folder \/ws, not \/tmp\/scores\.csv/.test(error.message),
    );
  });
});

describe('patternBelow (the anomalous sub-folder excluded from the normal training images)', () => {
  it('is the glob of everything under a sub-folder, and nothing for the folder itself or outside it', () => {
    assert.deepEqual(patternBelow('/data/train', '/data/train/anomalous'), ['anomalous/**']);
    assert.deepEqual(patternBelow('/data/train', '/data/train/..odd'), ['..odd/**'], 'a name starting with two dots is inside');
    assert.deepEqual(patternBelow('/data/train', '/data/train'), []);
    assert.deepEqual(patternBelow('/data/train', '/data/other'), []);
  });
});
