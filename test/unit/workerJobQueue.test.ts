import assert from 'node:assert/strict';
import { test } from 'node:test';
import { JobQueue } from '../../models/worker/jobQueue';

/** A job that records its start and end around one turn of the event loop, and whether it saw a cancel. */
function recordingJob(name: string, events: string[]) {
  return async (isCancelled: () => boolean) => {
    events.push(`start ${name}`);
    await new Promise((resolve) => setImmediate(resolve));
    events.push(`end ${name}${isCancelled() ? ' (cancelled)' : ''}`);
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

test('jobs run one at a time, in arrival order', async () => {
  const events: string[] = [];
  const queue = new JobQueue();
  queue.enqueue(1, recordingJob('a', events));
  queue.enqueue(2, recordingJob('b', events));
  queue.enqueue(3, recordingJob('c', events));
  await settle();
  assert.deepEqual(events, ['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
});

test('a cancel reaches the running job and a queued one, not the others', async () => {
  const events: string[] = [];
  const queue = new JobQueue();
  queue.enqueue(1, recordingJob('running', events));
  queue.enqueue(2, recordingJob('queued', events));
  queue.enqueue(3, recordingJob('untouched', events));
  queue.cancel(1);
  queue.cancel(2);
  queue.cancel(99); // unknown: ignored
  await settle();
  assert.deepEqual(events, ['start running', 'end running (cancelled)', 'start queued', 'end queued (cancelled)', 'start untouched', 'end untouched']);
});

test('a cancel for a finished job does not affect a later job with a new id', async () => {
  const events: string[] = [];
  const queue = new JobQueue();
  queue.enqueue(1, recordingJob('first', events));
  await settle();
  queue.cancel(1);
  queue.enqueue(2, recordingJob('second', events));
  await settle();
  assert.deepEqual(events, ['start first', 'end first', 'start second', 'end second']);
});
