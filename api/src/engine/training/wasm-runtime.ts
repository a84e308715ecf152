/**
 * The slice of the WebAssembly JS API the engine uses, typed locally: the api package compiles
 * with lib ES2022 and Node types, neither of which declares the global `WebAssembly`.
 */
export interface WasmMemory {
  readonly buffer: SharedArrayBuffer;
}

export interface WasmModule {
  readonly __wasmModule?: never;
}

export interface WasmInstance {
  readonly exports: Record<string, unknown>;
}

interface WasmApi {
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: Record<string, Record<string, unknown>>) => WasmInstance;
  validate(bytes: Uint8Array): boolean;
}

export const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** 64 KiB, the WebAssembly page. */
export const WASM_PAGE_BYTES = 65536;
/** wasm32 addresses 4 GiB at most. */
export const WASM_MAX_PAGES = 65536;

/** A shared memory of at least `bytes` (fixed size: it never grows, so views stay valid). */
export function sharedMemory(bytes: number): WasmMemory {
  const pages = Math.max(1, Math.ceil(bytes / WASM_PAGE_BYTES));
  if (pages > WASM_MAX_PAGES) {
    throw new RangeError(`needs ${(bytes / 2 ** 30).toFixed(1)} GiB of WebAssembly memory; the limit is 4 GiB: use fewer factors or a smaller matrix`);
  }
  return new wasmApi.Memory({ initial: pages, maximum: pages, shared: true });
}

/** Bump allocator over a byte range, 16-byte aligned (v128 loads). */
export class Arena {
  private top = 0;
  alloc(bytes: number): number {
    const at = this.top;
    this.top = Math.ceil((this.top + bytes) / 16) * 16;
    return at;
  }
  get size(): number {
    return this.top;
  }
}
