import { existsSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { backendLabel, backendOrder } from '@/server/compute/backend';
import { mayHaveGpu } from '@/server/compute/gpu-devices';
import { adapterName, isSoftwareAdapter } from '@/server/compute/webgpu-adapter';

// What Dawn reports, as read from GPUAdapterInfo (SwiftShader measured here; the others as their drivers name them).
const swiftShader = {
  vendor: 'google',
  architecture: 'swiftshader',
  device: 'swiftshader-device-subzero-',
  description: 'SwiftShader driver 5.0.0',
  isFallbackAdapter: true,
};
const lavapipe = {
  vendor: 'mesa',
  architecture: '',
  device: '',
  description: 'llvmpipe (LLVM 15.0.6, 256 bits)',
  isFallbackAdapter: false,
};
const nvidia = {
  vendor: 'nvidia',
  architecture: 'ampere',
  device: '',
  description: 'NVIDIA GeForce RTX 3080',
  isFallbackAdapter: false,
};
const intel = { vendor: 'intel', architecture: 'gen-12lp', device: '0x9a49', description: '' };

describe('WebGPU adapters', () => {
  it('tells software adapters from hardware ones', () => {
    expect(isSoftwareAdapter(swiftShader)).toBe(true);
    expect(isSoftwareAdapter(lavapipe)).toBe(true);
    expect(isSoftwareAdapter({ ...nvidia, description: 'Microsoft Basic Render Driver' })).toBe(true);
    // The fallback flag alone is enough, whatever the names say.
    expect(isSoftwareAdapter({ ...nvidia, isFallbackAdapter: true })).toBe(true);
    expect(isSoftwareAdapter(nvidia)).toBe(false);
    expect(isSoftwareAdapter(intel)).toBe(false);
    // "Warp" inside another word is not WARP.
    expect(isSoftwareAdapter({ vendor: 'amd', description: 'Radeon Warpspeed 9000' })).toBe(false);
  });

  it('names an adapter by its description, else by vendor, architecture and device', () => {
    expect(adapterName(swiftShader)).toBe('SwiftShader driver 5.0.0');
    expect(adapterName(intel)).toBe('intel gen-12lp 0x9a49');
    expect(adapterName({})).toBe('unknown adapter');
  });
});

describe('backend order', () => {
  it('tries every backend, GPUs first, when none is forced', () => {
    expect(backendOrder(undefined)).toEqual(['tensorflow-gpu', 'webgpu', 'tensorflow', 'wasm', 'cpu']);
    expect(backendOrder('')).toEqual(['tensorflow-gpu', 'webgpu', 'tensorflow', 'wasm', 'cpu']);
  });

  it('tries only the forced one, and names the allowed values for a wrong one', () => {
    expect(backendOrder('webgpu')).toEqual(['webgpu']);
    expect(() => backendOrder('gpu')).toThrow(
      /"gpu" is not one of tensorflow-gpu, webgpu, tensorflow, wasm, cpu/,
    );
  });

  it('asks Dawn for an adapter only where a GPU device may exist', () => {
    expect(mayHaveGpu('darwin')).toBe(true);
    expect(mayHaveGpu('win32')).toBe(true);
    const devices = ['/dev/nvidia0', '/dev/dxg'].some((path) => existsSync(path));
    const renderNode = existsSync('/dev/dri') && readdirSync('/dev/dri').some((n) => n.startsWith('renderD'));
    expect(mayHaveGpu('linux')).toBe(devices || renderNode);
  });

  it('labels results with the adapter when there is one', () => {
    expect(backendLabel({ name: 'wasm' })).toBe('wasm');
    expect(backendLabel({ name: 'webgpu', adapter: 'NVIDIA GeForce RTX 3080' })).toBe(
      'webgpu: NVIDIA GeForce RTX 3080',
    );
  });
});
