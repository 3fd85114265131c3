export { createMemoryStore } from './MemoryStore.js';
export type { MemoryStoreOptions } from './MemoryStore.js';
