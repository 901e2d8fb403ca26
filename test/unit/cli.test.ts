import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { builtBundle, TINY_MODEL, writeSyntheticPngs } from './workerFixtures';

const execFileAsync = promisify(execFile);

/** Runs `node dist/cli.js ...args`; resolves with its exit code and output even when it fails. */
async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, [builtBundle('cli.js'), ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** The flags of the tiny test model, one per VqVaeConfig field. */
const TINY_FLAGS = [
  '--input-size', `${TINY_MODEL.inputSize}`,
  '--channels', TINY_MODEL.channels.join(','),
  '--residual-blocks', `${TINY_MODEL.residualBlocks}`,
  '--codebook-size', `${TINY_MODEL.codebookSize}`,
  '--codebook-dim', `${TINY_MODEL.codebookDim}`,
  '--beta', '0.5',
  '--dropout', '0',
  '--batch-size', '4',
  '--lr', '0.002',
  '--seed', '7',
  '--backend', 'wasm',
];

describe('command-line interface', () => {
  let temp: string;
  let images: string[];
  const dataDir = () => join(temp, 'data');
  const modelDir = () => join(temp, 'model');

  before(() => {
    temp = mkdtempSync(join(tmpdir(), 'cli-test-'));
    images = writeSyntheticPngs(dataDir(), 8);
  });

  after(() => rmSync(temp, { recursive: true, force: true }));

  test('train writes a model whose manifest holds the flags; progress goes to stderr', async () => {
    const { code, stdout, stderr } = await cli('train', dataDir(), '--out', modelDir(), '--epochs', '2', ...TINY_FLAGS);
    assert.equal(code, 0, stderr);
    assert.match(stdout, /^Trained 2 epochs on 8 images, final loss \d/);
    assert.match(stderr, /Epoch 2\/2/);
    const manifest = JSON.parse(readFileSync(join(modelDir(), 'manifest.json'), 'utf8'));
    assert.deepEqual(manifest.config, { ...TINY_MODEL, beta: 0.5, dropout: 0 });
    assert.deepEqual(
      { epochs: manifest.training.epochs, batchSize: manifest.training.batchSize, learningRate: manifest.training.learningRate, seed: manifest.training.seed },
      { epochs: 2, batchSize: 4, learningRate: 0.002, seed: 7 },
    );
  });

  test('score --json on a folder prints every file with a score, most anomalous first', async () => {
    const { code, stdout, stderr } = await cli('score', modelDir(), dataDir(), '--json', '--backend', 'wasm');
    assert.equal(code, 0, stderr);
    const result = JSON.parse(stdout);
    assert.deepEqual(result.scores.map((s: { file: string }) => s.file).sort(), images);
    const scores: number[] = result.scores.map((s: { score: number }) => s.score);
    assert.ok(scores.every((s) => Number.isFinite(s) && s > 0));
    assert.deepEqual(scores, [...scores].sort((a, b) => b - a));
  });

  test('score --json on one file prints its score and slice scores', async () => {
    const { code, stdout, stderr } = await cli('score', modelDir(), images[2], '--json', '--backend', 'wasm');
    assert.equal(code, 0, stderr);
    const result = JSON.parse(stdout);
    assert.equal(result.file, images[2]);
    assert.ok(result.score > 0);
    assert.deepEqual(result.sliceScores, [result.score]);
  });

  test('info prints the manifest', async () => {
    const { code, stdout } = await cli('info', modelDir(), '--backend', 'wasm');
    assert.equal(code, 0);
    const info = JSON.parse(stdout);
    assert.equal(info.config.inputSize, TINY_MODEL.inputSize);
    assert.equal(info.training.epochsCompleted, 2);
  });

  test('Ctrl-C during train stops after the step and keeps the last completed epoch', async () => {
    const stoppedDir = join(temp, 'stopped-model');
    const child = spawn(process.execPath, [builtBundle('cli.js'), 'train', dataDir(), '--out', stoppedDir, '--epochs', '1000', ...TINY_FLAGS]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      if (/Epoch 1\/1000/.test(stderr) && !child.killed) child.kill('SIGINT');
    });
    const code = await new Promise((resolve) => child.on('exit', resolve));
    assert.equal(code, 0, stderr);
    assert.match(stdout, /\(stopped by Ctrl-C\)/);
    const epochs = Number(/Trained (\d+) epochs/.exec(stdout)?.[1]);
    assert.ok(epochs >= 1 && epochs < 1000);
    assert.equal(JSON.parse(readFileSync(join(stoppedDir, 'manifest.json'), 'utf8')).training.epochsCompleted, epochs);
  });

  test('mistakes in the command line exit with 2 and say what is wrong', async () => {
    const noOut = await cli('train', dataDir());
    assert.equal(noOut.code, 2);
    assert.match(noOut.stderr, /train needs --out <modelDir>/);
    const badNumber = await cli('train', dataDir(), '--out', modelDir(), '--epochs', 'many');
    assert.equal(badNumber.code, 2);
    assert.match(badNumber.stderr, /--epochs: expected a number, got "many"/);
    const unknown = await cli('evaluate', dataDir());
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /Unknown command "evaluate"/);
  });

  test('an invalid setting or a missing folder exits with 1 naming the problem', async () => {
    const badSize = await cli('train', dataDir(), '--out', join(temp, 'never'), ...TINY_FLAGS, '--input-size', '18');
    assert.equal(badSize.code, 1);
    assert.match(badSize.stderr, /inputSize must be a positive multiple of 2\^2/);
    const missing = join(temp, 'missing');
    const noFolder = await cli('score', modelDir(), missing);
    assert.equal(noFolder.code, 1);
    assert.ok(noFolder.stderr.includes(`${missing}: no such file or folder`));
  });
});
