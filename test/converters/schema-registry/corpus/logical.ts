/** The logical types: Decimal (several scales and precisions, negative and big values), Date, Time, Timestamp. */
import { BigDecimal, ConnectDate, ConnectTime, ConnectTimestamp, Decimal, SchemaBuilder } from '../../../../src/api/index.ts'
import { struct, type CorpusEntry } from './entry.ts'

const DAY = 86400000
const dec = (text: string): BigDecimal => BigDecimal.parse(text)
const entries: CorpusEntry[] = []

for (const [scale, values] of [
  [0, ['0', '1', '-1', '123456789', '-9223372036854775809', '340282366920938463463374607431768211456']],
  [2, ['0.00', '1.50', '-123.45', '99999999999999999999999999999999999.99', '-0.01']],
  [5, ['0.00001', '-3.14159', '100000.00000']],
  [10, ['0.0000000001', '-12345678901234567890.1234567890']],
  [38, ['0.12345678901234567890123456789012345678', '-9.99999999999999999999999999999999999999']]
] as const) {
  entries.push({ name: `decimal scale ${scale} top-level`, schema: Decimal.schema(scale), values: values.map(dec), tags: ['decimal', 'top-level-primitive'] })
}
entries.push({ name: 'decimal optional top-level', schema: Decimal.builder(3).optional().build(), values: [dec('1.234'), null], tags: ['decimal', 'top-level-primitive', 'top-level-optional'] })
entries.push({ name: 'decimal negative scale', schema: Decimal.schema(-2), values: [new BigDecimal(5n, -2), new BigDecimal(-123n, -2)], tags: ['decimal', 'decimal-negative-scale', 'top-level-primitive'] })

// Confluent's precision parameter (its AvroData and JsonSchemaData read and write it).
const precise = SchemaBuilder.struct().name('com.example.Prices')
  .field('price', Decimal.builder(2).parameter('connect.decimal.precision', '10').build())
  .field('rate', Decimal.builder(6).parameter('connect.decimal.precision', '8').optional().build())
  .field('amount', Decimal.builder(4).parameter('connect.decimal.precision', '20').defaultValue(dec('0.0000')).build())
  .build()
entries.push({
  name: 'decimals with connect.decimal.precision',
  schema: precise,
  values: [
    struct(precise, { price: dec('12345678.90'), rate: dec('0.123456'), amount: dec('-1234567890123456.7890') }),
    struct(precise, { price: dec('-0.01'), rate: null, amount: dec('0.0000') })
  ],
  tags: ['decimal', 'decimal-precision', 'defaults']
})

const money = SchemaBuilder.struct().name('com.example.Money')
  .field('amount', Decimal.schema(2))
  .field('optional_amount', Decimal.builder(2).optional().build())
  .field('defaulted_amount', Decimal.builder(2).defaultValue(dec('-7.50')).build())
  .build()
entries.push({
  name: 'decimal fields required, optional, defaulted',
  schema: money,
  values: [
    struct(money, { amount: dec('10.00'), optional_amount: dec('-0.99'), defaulted_amount: dec('1.00') }),
    struct(money, { amount: dec('-100000000000000000000000000000.01'), optional_amount: null, defaulted_amount: dec('-7.50') })
  ],
  tags: ['decimal', 'defaults']
})

entries.push({ name: 'date top-level', schema: ConnectDate.SCHEMA, values: [new Date(0), new Date(19000 * DAY), new Date(-1 * DAY), new Date(-719162 * DAY), new Date(2932896 * DAY)], tags: ['date', 'top-level-primitive'] })
entries.push({ name: 'time top-level', schema: ConnectTime.SCHEMA, values: [new Date(0), new Date(1), new Date(12345678), new Date(DAY - 1)], tags: ['time', 'top-level-primitive'] })
entries.push({ name: 'timestamp top-level', schema: ConnectTimestamp.SCHEMA, values: [new Date(0), new Date(-1), new Date(1700000000123), new Date(253402300799999), new Date(-62135596800000)], tags: ['timestamp', 'top-level-primitive'] })

const times = SchemaBuilder.struct().name('com.example.Times')
  .field('date', ConnectDate.SCHEMA)
  .field('time', ConnectTime.SCHEMA)
  .field('timestamp', ConnectTimestamp.SCHEMA)
  .field('optional_date', ConnectDate.builder().optional().build())
  .field('optional_time', ConnectTime.builder().optional().build())
  .field('optional_timestamp', ConnectTimestamp.builder().optional().build())
  .build()
entries.push({
  name: 'date, time, timestamp fields required and optional',
  schema: times,
  values: [
    struct(times, { date: new Date(18000 * DAY), time: new Date(3600000), timestamp: new Date(1234567890123), optional_date: new Date(0), optional_time: new Date(0), optional_timestamp: new Date(0) }),
    struct(times, { date: new Date(-365 * DAY), time: new Date(DAY - 1), timestamp: new Date(-1234567890123) })
  ],
  tags: ['date', 'time', 'timestamp']
})

const defaultedTimes = SchemaBuilder.struct().name('com.example.DefaultedTimes')
  .field('date', ConnectDate.builder().defaultValue(new Date(10 * DAY)).build())
  .field('time', ConnectTime.builder().defaultValue(new Date(1000)).build())
  .field('timestamp', ConnectTimestamp.builder().defaultValue(new Date(1600000000000)).build())
  .field('optional_timestamp', ConnectTimestamp.builder().optional().defaultValue(new Date(5)).build())
  .build()
entries.push({
  name: 'date, time, timestamp fields with defaults',
  schema: defaultedTimes,
  values: [
    struct(defaultedTimes, { date: new Date(10 * DAY), time: new Date(1000), timestamp: new Date(1600000000000), optional_timestamp: null }),
    struct(defaultedTimes, { date: new Date(11 * DAY), time: new Date(2000), timestamp: new Date(1), optional_timestamp: new Date(6) })
  ],
  tags: ['date', 'time', 'timestamp', 'defaults']
})

const logicalContainers = SchemaBuilder.struct().name('com.example.LogicalContainers')
  .field('dates', SchemaBuilder.array(ConnectDate.SCHEMA).build())
  .field('prices', SchemaBuilder.map(SchemaBuilder.string().build(), Decimal.schema(2)).build())
  .field('stamps', SchemaBuilder.array(ConnectTimestamp.builder().optional().build()).build())
  .build()
entries.push({
  name: 'logical types inside arrays and maps',
  schema: logicalContainers,
  values: [
    struct(logicalContainers, { dates: [new Date(0), new Date(DAY)], prices: new Map([['a', dec('1.00')], ['b', dec('-2.50')]]), stamps: [new Date(7), null] }),
    struct(logicalContainers, { dates: [], prices: new Map(), stamps: [] })
  ],
  tags: ['date', 'decimal', 'timestamp', 'optional-items']
})

export const LOGICAL_ENTRIES: readonly CorpusEntry[] = entries
