/** Every built-in connector bundle. */
import file from './file/index.ts'

export const builtinConnectorManifests = [file]
