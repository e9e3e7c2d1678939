/** Every built-in transformation and predicate, under Apache's class names (Debezium's ExtractNewRecordState under Debezium's). */
import { definePlugins, type PluginManifest } from '../api/index.ts'
import { descriptors as cast } from './cast.ts'
import { descriptors as dropHeaders } from './drop-headers.ts'
import { descriptors as extractField } from './extract-field.ts'
import { descriptors as filter } from './filter.ts'
import { descriptors as flatten } from './flatten.ts'
import { descriptors as headerFrom } from './header-from.ts'
import { descriptors as hoistField } from './hoist-field.ts'
import { descriptors as insertField } from './insert-field.ts'
import { descriptors as insertHeader } from './insert-header.ts'
import { descriptors as maskField } from './mask-field.ts'
import { descriptors as regexRouter } from './regex-router.ts'
import { descriptors as replaceField } from './replace-field.ts'
import { descriptors as setSchemaMetadata } from './set-schema-metadata.ts'
import { descriptors as timestampConverter } from './timestamp-converter.ts'
import { descriptors as timestampRouter } from './timestamp-router.ts'
import { descriptors as valueToKey } from './value-to-key.ts'
import { descriptors as extractNewRecordState } from './debezium/extract-new-record-state.ts'
import { descriptors as hasHeaderKey } from './predicates/has-header-key.ts'
import { descriptors as recordIsTombstone } from './predicates/record-is-tombstone.ts'
import { descriptors as topicNameMatches } from './predicates/topic-name-matches.ts'

export const builtinTransformations: PluginManifest = definePlugins([
  ...cast, ...dropHeaders, ...extractField, ...filter, ...flatten, ...headerFrom, ...hoistField, ...insertField, ...insertHeader, ...maskField,
  ...regexRouter, ...replaceField, ...setSchemaMetadata, ...timestampConverter, ...timestampRouter, ...valueToKey,
  ...extractNewRecordState,
  ...hasHeaderKey, ...recordIsTombstone, ...topicNameMatches
])
