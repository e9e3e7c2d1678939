/** Config keys and definitions of the FileStream connectors (Apache's names and defaults). */
import { ConfigDef, NonEmptyString, Range } from '../../src/api/index.ts'

export const FILE_CONFIG = 'file'
export const TOPIC_CONFIG = 'topic'
export const TASK_BATCH_SIZE_CONFIG = 'batch.size'
export const DEFAULT_TASK_BATCH_SIZE = 2000

/** The version the connectors report; it tracks the Apache Kafka release whose behaviour they reproduce. */
export const FILE_CONNECTOR_VERSION = '4.3.1'

export const FILE_SOURCE_CONFIG_DEF = new ConfigDef()
  .define({
    name: FILE_CONFIG,
    type: 'string',
    default: null,
    importance: 'high',
    documentation: 'Source filename. If not specified, the standard input will be used'
  })
  .define({
    name: TOPIC_CONFIG,
    type: 'string',
    validator: NonEmptyString,
    importance: 'high',
    documentation: 'The topic to publish data to'
  })
  .define({
    name: TASK_BATCH_SIZE_CONFIG,
    type: 'int',
    default: DEFAULT_TASK_BATCH_SIZE,
    validator: Range.atLeast(1),
    importance: 'low',
    documentation: 'The maximum number of records the source task can read from the file each time it is polled'
  })

export const FILE_SINK_CONFIG_DEF = new ConfigDef()
  .define({
    name: FILE_CONFIG,
    type: 'string',
    default: null,
    importance: 'high',
    documentation: 'Destination filename. If not specified, the standard output will be used'
  })
