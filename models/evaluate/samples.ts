// Image-level samples of an evaluation (a 2D image, or a slice of a volume) and the per-group view of
// them: for each group (e.g. magnetic tile's defect types), the sample AUROC of its samples against
// all normal samples of the test set, which tells which kinds of defect a map finds.

import { auroc } from '../metrics/roc';

export interface Samples {
  /** Per map name, one score per sample (the mean of the map over the sample). */
  scores: Record<string, number[]>;
  /** 1 for anomalous samples. */
  labels: number[];
  /** The group of each sample's scan ('' when it has none). */
  groups: string[];
}

export interface GroupMetrics {
  samples: number;
  anomalousSamples: number;
  /** Per map: AUROC of the group's samples and all normal samples (NaN for a group without anomalous samples). */
  sampleAuroc: Record<string, number>;
}

/** The metrics of each named group; empty when no sample has a group. */
export function groupMetrics(samples: Samples): Record<string, GroupMetrics> {
  const names = [...new Set(samples.groups)].filter((group) => group !== '').sort();
  return Object.fromEntries(
    names.map((group) => {
      const members = samples.labels.flatMap((label, i) => (samples.groups[i] === group || label === 0 ? [i] : []));
      const labels = Uint8Array.from(members, (i) => (samples.groups[i] === group ? samples.labels[i] : 0));
      const inGroup = samples.groups.filter((g) => g === group).length;
      const sampleAuroc = Object.fromEntries(
        Object.entries(samples.scores).map(([map, scores]) => [
          map,
          auroc(
            Float32Array.from(members, (i) => scores[i]),
            labels,
          ),
        ]),
      );
      return [group, { samples: inGroup, anomalousSamples: labels.reduce((n, l) => n + l, 0), sampleAuroc }];
    }),
  );
}
