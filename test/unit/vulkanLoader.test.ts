import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { vulkanLoaderFound } from '../../models/runtime/vulkanLoader';

describe('vulkanLoaderFound', () => {
  const nowhere = () => false;

  it('does not look on Windows or macOS, where Dawn needs no Vulkan', () => {
    assert.equal(vulkanLoaderFound({ platform: 'win32', exists: nowhere }), true);
    assert.equal(vulkanLoaderFound({ platform: 'darwin', exists: nowhere }), true);
  });

  it('finds libvulkan.so.1 in the linker cache, in an LD_LIBRARY_PATH folder or in a usual library folder', () => {
    assert.equal(
      vulkanLoaderFound({ platform: 'linux', linkerCache: '\u0000libvulkan.so.1\u0000/usr/lib/x86_64-linux-gnu/libvulkan.so.1', exists: nowhere }),
      true,
    );
    const at = (path: string) => (candidate: string) => candidate === path;
    assert.equal(vulkanLoaderFound({ platform: 'linux', libraryPath: '/opt/a:/opt/vk/lib', exists: at('/opt/vk/lib/libvulkan.so.1') }), true);
    assert.equal(vulkanLoaderFound({ platform: 'linux', exists: at('/usr/lib64/libvulkan.so.1') }), true);
  });

  it('reports a Linux without it, also when the cache names only other libraries', () => {
    assert.equal(vulkanLoaderFound({ platform: 'linux', linkerCache: 'libc.so.6 libvulkan_radeon.so', libraryPath: '/opt/a', exists: nowhere }), false);
  });
});
