// On Linux, Dawn (the `webgpu` package) reaches the GPU only through Vulkan. Without the Vulkan loader
// library it finds no adapter, and on the way prints a native warning to stderr that nothing in Node can
// silence (`Couldn't load Vulkan: libvulkan.so.1 ...`) on every command. So the loader is looked for first,
// where the dynamic linker would find it: LD_LIBRARY_PATH, the linker's cache, the usual library folders.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const VULKAN_LOADER = 'libvulkan.so.1';

const LIBRARY_FOLDERS = [
  '/lib',
  '/usr/lib',
  '/lib64',
  '/usr/lib64',
  '/usr/local/lib',
  '/lib/x86_64-linux-gnu',
  '/usr/lib/x86_64-linux-gnu',
  '/lib/aarch64-linux-gnu',
  '/usr/lib/aarch64-linux-gnu',
];

/** Where to look, injectable for tests. */
export interface LoaderSearch {
  platform: NodeJS.Platform;
  /** LD_LIBRARY_PATH. */
  libraryPath?: string;
  /** The dynamic linker's cache (/etc/ld.so.cache) as text, or undefined when it cannot be read. */
  linkerCache?: string;
  exists(path: string): boolean;
}

/** True where WebGPU may find a GPU: not Linux (Dawn uses D3D12 or Metal there), or a Linux with the Vulkan loader. */
export function vulkanLoaderFound(search: LoaderSearch): boolean {
  if (search.platform !== 'linux') return true;
  if (search.linkerCache?.includes(VULKAN_LOADER)) return true;
  const folders = [...(search.libraryPath ?? '').split(':').filter((folder) => folder !== ''), ...LIBRARY_FOLDERS];
  return folders.some((folder) => search.exists(join(folder, VULKAN_LOADER)));
}

/** vulkanLoaderFound on this machine. */
export function hasVulkanLoader(): boolean {
  let linkerCache: string | undefined;
  try {
    linkerCache = readFileSync('/etc/ld.so.cache', 'latin1');
  } catch {
    linkerCache = undefined;
  }
  return vulkanLoaderFound({ platform: process.platform, libraryPath: process.env.LD_LIBRARY_PATH, linkerCache, exists: existsSync });
}
