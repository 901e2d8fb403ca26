// Type guards for what a webview page sends or saved (untrusted input), shared by the pages' protocol
// modules and the viewer's saved state.

export const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** A whole number >= 0. */
export const isCount = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;
