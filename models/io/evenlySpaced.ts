// Picking a subset spread over a whole list (a test set's scans, the images of a health check).

/** `count` items evenly spaced over the list (all of them without a count, or when it has no more). */
export function evenlySpaced<T>(items: T[], count?: number): T[] {
  if (count === undefined || count >= items.length) return items;
  return Array.from({ length: count }, (_, k) => items[Math.floor((k * items.length) / count)]);
}
