// Types of scripts/patchWasmBackend.mjs, for the unit test that checks it.
export const PINNED_VERSION: string;
export const PINNED_SHA256: string;
export const BACKEND_FILE: string;
export const FACTORY_FILE: string;
export const PTHREAD_FILE: string;
export function readPinnedBundle(): string;
export function replaceOnce(text: string, find: string, replacement: string, what: string): string;
export function patchWasmBackend(source: string): Record<string, string>;
export function writeThreadedWasmBackend(outdir: string): void;
