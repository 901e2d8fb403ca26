// How a folder's scores are ranked: like with like. A volume's score (over all its slices) and a 2D
// image's or single slice's are not comparable (a volume ranked below its own slices), so volumes
// come first, most anomalous first, then the images and single slices, most anomalous first.

/** What a score is of: a volume (more than one slice), or a 2D image or single slice. */
export type ScanKind = 'volume' | 'image';

export const SCAN_KINDS: readonly ScanKind[] = ['volume', 'image'];

/** The kind of a scan of `depth` slices. */
export function scanKindOf(depth: number): ScanKind {
  return depth > 1 ? 'volume' : 'image';
}

/** Sort order: volumes before images, then the higher score first; 0 for equal kind and score (a stable sort keeps them in file order). */
export function byKindThenScore(a: { kind: ScanKind; score: number }, b: { kind: ScanKind; score: number }): number {
  return SCAN_KINDS.indexOf(a.kind) - SCAN_KINDS.indexOf(b.kind) || b.score - a.score;
}

/** What the lists call each kind's group. */
export const KIND_TITLES: Record<ScanKind, string> = { volume: 'Volumes', image: 'Images and single slices' };

/** The kinds present in `scores` (ranked as byKindThenScore ranks), each with its scores in their order. */
export function groupByKind<T extends { kind: ScanKind }>(scores: T[]): { kind: ScanKind; scores: T[] }[] {
  return SCAN_KINDS.map((kind) => ({ kind, scores: scores.filter((s) => s.kind === kind) })).filter((group) => group.scores.length > 0);
}
