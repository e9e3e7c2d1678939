/**
 * The Protobuf payload after the 5-byte header: message indexes (Confluent's MessageIndexes) and a foreign .proto
 * (several messages, nested types, an enum, a oneof, a map, proto3 optional, other wire types, an import) read as
 * Confluent's converter reads it, from bytes built here field by field.
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { ConnectTimestamp, SchemaBuilder, Struct, type Schema } from '../../../../src/api/index.ts'
import { decodeMessageIndexes, encodeMessageIndexes } from '../../../../src/converters/schema-registry/protobuf/message-indexes.ts'
import { ProtobufFormat } from '../../../../src/converters/schema-registry/protobuf/protobuf-format.ts'
import { DEFAULT_PROTOBUF_DATA_OPTIONS } from '../../../../src/converters/schema-registry/protobuf/protobuf-data-config.ts'
import { assertConnectEqual } from '../connect-equals.ts'

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')

describe('Protobuf message indexes', () => {
  it('writes [0] as the single byte 0 and other paths as zig-zag varints: count, then each index', () => {
    assert.equal(hex(encodeMessageIndexes([0])), '00')
    assert.equal(hex(encodeMessageIndexes([1])), '0202')
    assert.equal(hex(encodeMessageIndexes([0, 2])), '040004')
    assert.equal(hex(encodeMessageIndexes([3, 0, 1])), '06060002')
    assert.equal(hex(encodeMessageIndexes([64])), '028001')
    assert.equal(hex(encodeMessageIndexes([1000])), '02d00f')
  })

  it('reads both forms, a count of 0 as [0], and says where the message starts', () => {
    assert.deepEqual(decodeMessageIndexes(Buffer.from('00ff', 'hex')), { indexes: [0], offset: 1 })
    assert.deepEqual(decodeMessageIndexes(Buffer.from('0200', 'hex')), { indexes: [0], offset: 2 })
    assert.deepEqual(decodeMessageIndexes(Buffer.from('06060002aa', 'hex')), { indexes: [3, 0, 1], offset: 4 })
    assert.deepEqual(decodeMessageIndexes(Buffer.from('02d00f', 'hex')), { indexes: [1000], offset: 3 })
    for (const indexes of [[0], [5], [1, 2, 3], [0, 0], [300, 70000]]) {
      assert.deepEqual(decodeMessageIndexes(encodeMessageIndexes(indexes)).indexes, indexes)
    }
  })

  it('refuses truncated and overlong indexes', () => {
    assert.throws(() => decodeMessageIndexes(Buffer.alloc(0)), /ends inside its message indexes/)
    assert.throws(() => decodeMessageIndexes(Buffer.from('04', 'hex')), /2 message indexes/)
    assert.throws(() => decodeMessageIndexes(Buffer.from('0480', 'hex')), /ends inside its message indexes/)
    assert.throws(() => decodeMessageIndexes(Buffer.from('ffffffffff01', 'hex')), /too long/)
    assert.throws(() => decodeMessageIndexes(Buffer.from('01', 'hex')), /-1 message indexes/)
  })
})

/** A test-side Protobuf writer: tags and values by hand, independent of the codec under test. */
const varint = (n: bigint): number[] => {
  let v = BigInt.asUintN(64, n)
  const out: number[] = []
  do { out.push(Number(v & 0x7fn) | (v > 0x7fn ? 0x80 : 0)); v >>= 7n } while (v > 0n)
  return out
}
const tag = (field: number, wire: number): number[] => varint(BigInt(field << 3 | wire))
const vField = (field: number, n: bigint | number): number[] => [...tag(field, 0), ...varint(BigInt(n))]
const lenField = (field: number, bytes: number[]): number[] => [...tag(field, 2), ...varint(BigInt(bytes.length)), ...bytes]
const str = (field: number, s: string): number[] => lenField(field, [...Buffer.from(s, 'utf8')])
const fixed64 = (field: number, n: bigint): number[] => { const b = Buffer.alloc(8); b.writeBigUInt64LE(BigInt.asUintN(64, n)); return [...tag(field, 1), ...b] }
const double = (field: number, d: number): number[] => { const b = Buffer.alloc(8); b.writeDoubleLE(d); return [...tag(field, 1), ...b] }

const FOREIGN = `syntax = "proto3";
package acme.shop;

import "google/protobuf/timestamp.proto";

message Order {
  string id = 1;
  sint32 delta = 2;
  fixed64 big = 3;
  uint32 count = 4;
  repeated Item items = 5;
  map<string, int64> totals = 6;
  Status status = 7;
  optional string comment = 8;
  google.protobuf.Timestamp placed_at = 9;
  oneof payment {
    string card = 10;
    Bank bank = 11;
  }
  repeated int32 codes = 12;

  message Item {
    string sku = 1;
    double price = 2;
  }
  message Bank {
    string iban = 1;
  }
  enum Status {
    NEW = 0;
    PAID = 1;
    SHIPPED = 5;
  }
}
message Customer {
  string name = 1;
  Address address = 2;

  message Address {
    string city = 1;
  }
}
`

const S = SchemaBuilder
const TAG = 'io.confluent.connect.protobuf.Tag'
const TYPE = 'io.confluent.connect.protobuf.Type'
const ENUM = 'io.confluent.connect.protobuf.Enum'
const opt = (b: SchemaBuilder, tagNumber: number): Schema => b.optional().parameter(TAG, String(tagNumber)).build()

// What Confluent's toConnectSchema gives (default settings): every field optional with its Tag, the oneof first.
const ITEM = S.struct().name('Item').field('sku', opt(S.string(), 1)).field('price', opt(S.float64(), 2)).optional().build()
const BANK = S.struct().name('Bank').field('iban', opt(S.string(), 1)).optional().parameter(TAG, '11').build()
const PAYMENT = S.struct().name('io.confluent.connect.protobuf.Union.payment').field('card', opt(S.string(), 10)).field('bank', BANK).optional().build()
const ORDER = S.struct().name('Order')
  .field('payment_0', PAYMENT)
  .field('id', opt(S.string(), 1))
  .field('delta', opt(S.int32().parameter(TYPE, 'sint32'), 2))
  .field('big', opt(S.int64().parameter(TYPE, 'fixed64'), 3))
  .field('count', opt(S.int64().parameter(TYPE, 'uint32'), 4))
  .field('items', opt(S.array(ITEM), 5))
  .field('totals', opt(S.map(opt(S.string(), 1), opt(S.int64(), 2)).name('totals'), 6))
  .field('status', opt(S.string().name('Status').parameter(ENUM, 'Status').parameter(`${ENUM}.NEW`, '0').parameter(`${ENUM}.PAID`, '1').parameter(`${ENUM}.SHIPPED`, '5'), 7))
  .field('comment', opt(S.string(), 8))
  .field('placed_at', opt(ConnectTimestamp.builder(), 9))
  .field('codes', opt(S.array(S.int32().optional().build()), 12))
  .build()
const ADDRESS = S.struct().name('Address').field('city', opt(S.string(), 1)).optional().parameter(TAG, '2').build()
const CUSTOMER = S.struct().name('Customer').field('name', opt(S.string(), 1)).field('address', ADDRESS).build()

describe('a foreign .proto read as Confluent reads it', () => {
  const format = new ProtobufFormat(DEFAULT_PROTOBUF_DATA_OPTIONS)
  const schema = format.parse(FOREIGN, [])
  const pick = (name: string): ReturnType<typeof format.parse> => schema.withMessage(name)

  it('names the first message and finds each message by its indexes', () => {
    assert.equal(schema.recordName, 'acme.shop.Order')
    assert.equal(schema.nameAt([0]), 'acme.shop.Order')
    assert.equal(schema.nameAt([]), 'acme.shop.Order')
    assert.equal(schema.nameAt([0, 1]), 'acme.shop.Order.Bank')
    assert.equal(schema.nameAt([1, 0]), 'acme.shop.Customer.Address')
    assert.deepEqual(schema.indexesOf('acme.shop.Customer.Address'), [1, 0])
    assert.deepEqual(schema.indexesOf('Order.Item'), [0, 0])
    assert.throws(() => schema.nameAt([2]), /Invalid message indexes: \[2\]/)
  })

  it('gives the Connect schemas of ProtobufData.toConnectSchema', () => {
    assertConnectEqual({ schema: format.toConnectSchema(schema) }, { schema: ORDER })
    assertConnectEqual({ schema: format.toConnectSchema(pick('acme.shop.Customer')) }, { schema: CUSTOMER })
  })

  it('reads a message: defaults for absent scalars, null for absent messages and optional fields, the set oneof member', () => {
    const bytes = [0, ...str(1, 'A1'), ...vField(2, 3), ...fixed64(3, (1n << 63n) + 5n), ...vField(4, 4294967295),
      ...lenField(5, [...str(1, 'x'), ...double(2, 1.5)]), ...lenField(5, []),
      ...lenField(6, [...str(1, 'a'), ...vField(2, 7)]), ...lenField(6, str(1, 'b')),
      ...vField(7, 5), ...lenField(9, [...vField(1, 1700000000), ...vField(2, 5000000)]),
      ...lenField(11, str(1, 'DE1')), ...vField(15, 1), ...lenField(12, [1, 2, 3])]
    const got = format.read(schema, format.toConnectSchema(schema), Buffer.from(bytes))
    const item = (schemaOf: Schema, sku: string, price: number): Struct => new Struct(schemaOf).put('sku', sku).put('price', price)
    const expected = new Struct(ORDER)
      .put('payment_0', new Struct(PAYMENT).put('bank', new Struct(BANK).put('iban', 'DE1')))
      .put('id', 'A1').put('delta', -2).put('big', -(2n ** 63n) + 5n).put('count', 4294967295)
      .put('items', [item(ITEM, 'x', 1.5), item(ITEM, '', 0)])
      .put('totals', new Map<string, number>([['a', 7], ['b', 0]]))
      .put('status', 'SHIPPED').put('placed_at', new Date(1700000000005)).put('codes', [1, 2, 3])
    assertConnectEqual(got, { schema: ORDER, value: expected })
  })

  it('reads an empty message as defaults, an enum number it lacks as UNKNOWN_ENUM_VALUE_<Enum>_<n>', () => {
    const empty = format.read(schema, format.toConnectSchema(schema), Buffer.from([0])).value as Struct
    assert.equal(empty.get('id'), '')
    assert.equal(empty.get('status'), 'NEW')
    assert.deepEqual(empty.get('items'), [])
    assert.deepEqual(empty.get('totals'), new Map())
    for (const f of ['payment_0', 'comment', 'placed_at']) assert.equal(empty.get(f), null, f)
    const unknown = format.read(schema, format.toConnectSchema(schema), Buffer.from([0, ...vField(7, 9), ...str(8, '')])).value as Struct
    assert.equal(unknown.get('status'), 'UNKNOWN_ENUM_VALUE_Status_9')
    assert.equal(unknown.get('comment'), '', 'a proto3 optional field set to its default is present')
  })

  it('reads the message the indexes name, with that message\'s Connect schema', () => {
    const payload = Buffer.from([...encodeMessageIndexes([1]), ...str(1, 'Ann'), ...lenField(2, str(1, 'Oslo'))])
    const got = format.read(schema, format.toConnectSchema(schema), payload)
    assertConnectEqual(got, { schema: CUSTOMER, value: new Struct(CUSTOMER).put('name', 'Ann').put('address', new Struct(ADDRESS).put('city', 'Oslo')) })
    const nested = format.read(schema, format.toConnectSchema(schema), Buffer.from([...encodeMessageIndexes([1, 0]), ...str(1, 'Rome')]))
    assert.equal((nested.value as Struct).get('city'), 'Rome')
  })

  it('writes a value of a message\'s Connect schema with that message\'s indexes in the registered file (use.latest.version)', () => {
    const customer = format.toConnectSchema(pick('acme.shop.Customer'))
    const value = new Struct(customer).put('name', 'Bo').put('address', new Struct(ADDRESS).put('city', 'Lund'))
    const payload = format.serialize(schema, customer, value)
    assert.equal(hex(payload), hex(Buffer.from([...encodeMessageIndexes([1]), ...str(1, 'Bo'), ...lenField(2, str(1, 'Lund'))])))
    assertConnectEqual(format.read(schema, format.toConnectSchema(schema), payload), { schema: CUSTOMER, value })
  })

  it('refuses bytes that are not a message of the schema', () => {
    assert.throws(() => format.read(schema, null, Buffer.from([0, 0x0a, 0x05, 0x41])), /Invalid Protobuf message acme\.shop\.Order/)
    assert.throws(() => format.read(schema, null, Buffer.from([0, 0x0a, 0x02, 0xc3, 0x28])), /invalid UTF-8/)
    assert.throws(() => format.parse('syntax = "proto3"; message A { Missing m = 1; }', []), /Invalid Protobuf schema/)
    assert.throws(() => format.parse('syntax = "proto3"; import "x/y.proto"; message A { int32 a = 1; }', []), /cannot resolve import "x\/y\.proto"/)
  })
})
