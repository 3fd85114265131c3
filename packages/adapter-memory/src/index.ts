export { createMemoryStore } from './MemoryStore.js';
export type { MemoryStore, MemoryStoreOptions } from './MemoryStore.js';
