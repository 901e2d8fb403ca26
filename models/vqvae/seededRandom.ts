// A small seeded pseudo-random generator (mulberry32), so that weight initialisation, shuffling and
// dropout masks are the same for the same seed on every backend and every run.

/** FNV-1a hash of a string, used to give each purpose ('init', 'shuffle', ...) its own stream. */
function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

export class SeededRandom {
  /** The whole generator state (a 32-bit unsigned integer): saving and restoring it resumes the sequence exactly. */
  state: number;

  /** `stream` names the purpose, so that one seed gives independent sequences for different uses. */
  constructor(seed: number, stream: string) {
    this.state = (Math.imul(seed | 0, 0x9e3779b1) ^ hashString(stream)) >>> 0;
  }

  /** Uniform in [0, 1) (mulberry32). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Standard normal N(0, 1) by the Box-Muller transform. */
  normal(): number {
    const u = 1 - this.next(); // in (0, 1], so the log is finite
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** A new array with the items in random order (Fisher-Yates). */
  shuffled<T>(items: readonly T[]): T[] {
    const result = items.slice();
    for (let i = result.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [result[i], result[j]] = [result[j], result[i]];
    }
    return result;
  }
}
