/** Public entry for plugin authors. */
export * from './api/index.ts'
