// Which gray image stands for the model's view of the scan (in place of the scan, or beside it): the
// reconstruction, or with a prior one of the latent-space restorations X_j (methods.md §6) or their
// mean. The choice steps through that list (',' and '.' keys, the ◀ ▶ buttons), wrapping around.

import type { BaseImageName } from './protocol';

/** The reconstruction, the restorations' mean, or restoration j (0-based). */
export type RestorationChoice = 'reconstruction' | 'mean' | number;

/** The choices a scan offers: the reconstruction always; the mean and each sample when it has `sampleCount` restorations. */
export function restorationChoices(sampleCount: number | undefined): RestorationChoice[] {
  if (sampleCount === undefined) return ['reconstruction'];
  return ['reconstruction', 'mean', ...Array.from({ length: sampleCount }, (_, j) => j)];
}

/** The choice `steps` places after `current` among `choices`, wrapping; from a choice not offered, the reconstruction. */
export function stepRestorationChoice(choices: readonly RestorationChoice[], current: RestorationChoice, steps: number): RestorationChoice {
  const at = choices.indexOf(current);
  if (at < 0) return 'reconstruction';
  const n = choices.length;
  return choices[(((at + steps) % n) + n) % n];
}

/** `choice` when offered, else the reconstruction (e.g. a saved choice from a scoring with more samples). */
export function offeredChoice(choices: readonly RestorationChoice[], choice: RestorationChoice): RestorationChoice {
  return choices.includes(choice) ? choice : 'reconstruction';
}

/** True for a valid RestorationChoice (a saved state is checked with it). */
export function isRestorationChoice(value: unknown): value is RestorationChoice {
  return value === 'reconstruction' || value === 'mean' || (Number.isInteger(value) && (value as number) >= 0);
}

/** The name render reports give the choice: 'reconstruction', 'restoration-mean' or 'restoration-j'. */
export function restorationImageName(choice: RestorationChoice): BaseImageName {
  return choice === 'reconstruction' ? 'reconstruction' : `restoration-${choice}`;
}

/** The label shown to the user; samples are counted from 1, as slices are. */
export function restorationLabel(choice: RestorationChoice, sampleCount: number): string {
  if (choice === 'reconstruction') return 'Reconstruction';
  if (choice === 'mean') return 'Mean restoration';
  return `Restoration ${choice + 1} / ${sampleCount}`;
}
