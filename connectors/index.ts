/** Every built-in connector bundle. */
import datagen from './datagen/index.ts'
import debeziumPostgres from './debezium-postgres/index.ts'
import debeziumJdbc from './debezium-jdbc/index.ts'
import file from './file/index.ts'

export const builtinConnectorManifests = [file, datagen, debeziumPostgres, debeziumJdbc]
