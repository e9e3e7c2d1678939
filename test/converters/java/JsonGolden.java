/*
 * Golden-output generator for test/converters/json-converter.test.ts and java-number-format.test.ts.
 *
 * Runs the real Apache classes (connect-json and connect-api 4.3.1, resolved by generate-json-golden.mjs) and prints
 * JSON lines. Every input is described in a typed form (Java class tags, float bits) so that the TypeScript test can
 * rebuild the same value in its own data model, and every output is given as base64 bytes.
 *
 *   java JsonGolden json     -> json-converter.golden.jsonl
 *   java JsonGolden numbers  -> java-number-format.golden.jsonl
 */
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;

public final class JsonGolden {

  // ---------------------------------------------------------------- tiny JSON writer (ASCII output only)

  private static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') b.append('\\').append(c);
      else if (c < 0x20 || c > 0x7e) b.append(String.format("\\u%04x", (int) c));
      else b.append(c);
    }
    return b.append('"').toString();
  }

  private static String json(Object v) {
    if (v == null) return "null";
    if (v instanceof String s) return quote(s);
    if (v instanceof Boolean || v instanceof Integer || v instanceof Long) return v.toString();
    if (v instanceof List<?> l) {
      StringBuilder b = new StringBuilder("[");
      for (int i = 0; i < l.size(); i++) b.append(i == 0 ? "" : ",").append(json(l.get(i)));
      return b.append(']').toString();
    }
    if (v instanceof Map<?, ?> m) {
      StringBuilder b = new StringBuilder("{");
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        b.append(first ? "" : ",").append(quote((String) e.getKey())).append(':').append(json(e.getValue()));
        first = false;
      }
      return b.append('}').toString();
    }
    throw new IllegalArgumentException("cannot render " + v.getClass());
  }

  private static Map<String, Object> obj(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
    return m;
  }

  // ---------------------------------------------------------------- typed descriptions of Connect data

  private static Object describeValue(Object v) {
    if (v == null) return null;
    if (v instanceof Byte) return obj("t", "int8", "v", v.toString());
    if (v instanceof Short) return obj("t", "int16", "v", v.toString());
    if (v instanceof Integer) return obj("t", "int32", "v", v.toString());
    if (v instanceof Long) return obj("t", "int64", "v", v.toString());
    if (v instanceof Float f) return obj("t", "float32", "bits", String.format("%08x", Float.floatToRawIntBits(f)));
    if (v instanceof Double d) return obj("t", "float64", "bits", String.format("%016x", Double.doubleToRawLongBits(d)));
    if (v instanceof Boolean) return obj("t", "boolean", "v", v);
    if (v instanceof String) return obj("t", "string", "v", v);
    if (v instanceof byte[] b) return obj("t", "bytes", "v", Base64.getEncoder().encodeToString(b));
    if (v instanceof java.util.Date d) return obj("t", "date", "v", Long.toString(d.getTime()));
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      for (Object e : l) out.add(describeValue(e));
      return obj("t", "array", "v", out);
    }
    if (v instanceof Map<?, ?> m) {
      List<Object> out = new ArrayList<>();
      for (Map.Entry<?, ?> e : m.entrySet()) out.add(Arrays.asList(describeValue(e.getKey()), describeValue(e.getValue())));
      return obj("t", "map", "v", out);
    }
    if (v instanceof Struct s) {
      List<Object> out = new ArrayList<>();
      for (Field f : s.schema().fields()) out.add(Arrays.asList(f.name(), describeValue(s.getWithoutDefault(f.name()))));
      return obj("t", "struct", "v", out);
    }
    throw new IllegalArgumentException("cannot describe " + v.getClass());
  }

  private static Object describeSchema(Schema s) {
    if (s == null) return null;
    Map<String, Object> m = obj("type", s.type().getName(), "optional", s.isOptional());
    if (s.name() != null) m.put("name", s.name());
    if (s.version() != null) m.put("version", s.version());
    if (s.doc() != null) m.put("doc", s.doc());
    if (s.parameters() != null) {
      List<Object> ps = new ArrayList<>();
      for (Map.Entry<String, String> e : s.parameters().entrySet()) ps.add(Arrays.asList(e.getKey(), e.getValue()));
      m.put("parameters", ps);
    }
    if (s.defaultValue() != null) m.put("default", describeValue(s.defaultValue()));
    switch (s.type()) {
      case ARRAY -> m.put("items", describeSchema(s.valueSchema()));
      case MAP -> {
        m.put("keys", describeSchema(s.keySchema()));
        m.put("values", describeSchema(s.valueSchema()));
      }
      case STRUCT -> {
        List<Object> fs = new ArrayList<>();
        for (Field f : s.fields()) fs.add(Arrays.asList(f.name(), describeSchema(f.schema())));
        m.put("fields", fs);
      }
      default -> { }
    }
    return m;
  }

  private static Object describeError(Throwable t) {
    return obj("class", t.getClass().getSimpleName(), "message", String.valueOf(t.getMessage()));
  }

  // ---------------------------------------------------------------- cases

  private static int count;

  private static Map<String, String> cfg(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
    return m;
  }

  private static final Map<String, String> ON = cfg();
  private static final Map<String, String> OFF = cfg("schemas.enable", "false");

  /** mode: "value", "key" (configure(map, isKey)) or "header" (configure(map) with converter.type=header). */
  private static JsonConverter converter(Map<String, String> config, String mode) {
    JsonConverter c = new JsonConverter();
    if (mode.equals("header")) {
      Map<String, Object> m = new HashMap<>(config);
      m.put("converter.type", "header");
      c.configure(m);
    } else {
      c.configure(config, mode.equals("key"));
    }
    return c;
  }

  private static void emit(Map<String, Object> line) {
    System.out.println(json(line));
    count++;
  }

  private static void write(String id, Map<String, String> config, Schema schema, Object value) {
    write(id, config, "value", schema, value);
  }

  private static void write(String id, Map<String, String> config, String mode, Schema schema, Object value) {
    Map<String, Object> line = obj("kind", "write", "id", id, "config", new LinkedHashMap<>(config), "mode", mode,
        "schema", describeSchema(schema), "value", describeValue(value));
    byte[] out = null;
    try {
      out = converter(config, mode).fromConnectData("topic", schema, value);
      line.put("out", out == null ? null : Base64.getEncoder().encodeToString(out));
    } catch (RuntimeException e) {
      line.put("error", describeError(e));
    }
    emit(line);
    // Whatever Apache writes, Apache must read back: each output is also a read case.
    if (out != null) read(id + " <- read back", config, mode, out);
  }

  /** Writes the same case with schemas enabled and disabled. */
  private static void both(String id, Schema schema, Object value) {
    write(id + " [schemas]", ON, schema, value);
    write(id + " [plain]", OFF, schema, value);
  }

  private static void read(String id, Map<String, String> config, String mode, byte[] in) {
    Map<String, Object> line = obj("kind", "read", "id", id, "config", new LinkedHashMap<>(config), "mode", mode,
        "in", in == null ? null : Base64.getEncoder().encodeToString(in));
    try {
      SchemaAndValue sv = converter(config, mode).toConnectData("topic", in);
      line.put("schema", describeSchema(sv.schema()));
      line.put("value", describeValue(sv.value()));
    } catch (RuntimeException e) {
      line.put("error", describeError(e));
    }
    emit(line);
  }

  private static void read(String id, Map<String, String> config, String text) {
    read(id, config, "value", text.getBytes(StandardCharsets.UTF_8));
  }

  private static void readEnvelope(String id, String schemaJson, String payloadJson) {
    read(id, ON, "{\"schema\":" + schemaJson + ",\"payload\":" + payloadJson + "}");
  }

  private static void configure(String id, Map<String, String> config) {
    Map<String, Object> line = obj("kind", "configure", "id", id, "config", new LinkedHashMap<>(config));
    try {
      converter(config, "value");
      line.put("ok", true);
    } catch (RuntimeException e) {
      line.put("error", describeError(e));
    }
    emit(line);
  }

  @SafeVarargs
  private static <T> List<T> list(T... items) {
    return new ArrayList<>(Arrays.asList(items));
  }

  private static Map<Object, Object> map(Object... kv) {
    Map<Object, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
    return m;
  }

  private static void jsonCases() {
    // Primitives with a schema, with and without the envelope.
    both("int8 12", Schema.INT8_SCHEMA, (byte) 12);
    both("int8 min", Schema.INT8_SCHEMA, Byte.MIN_VALUE);
    both("int16 min", Schema.INT16_SCHEMA, Short.MIN_VALUE);
    both("int32 max", Schema.INT32_SCHEMA, Integer.MAX_VALUE);
    both("int32 min", Schema.INT32_SCHEMA, Integer.MIN_VALUE);
    both("int64 123", Schema.INT64_SCHEMA, 123L);
    both("int64 max", Schema.INT64_SCHEMA, Long.MAX_VALUE);
    both("int64 min", Schema.INT64_SCHEMA, Long.MIN_VALUE);
    both("int64 2^53+1", Schema.INT64_SCHEMA, 9007199254740993L);
    both("int64 -(2^53+1)", Schema.INT64_SCHEMA, -9007199254740993L);
    float[] floats = {1.5f, 1.0E10f, 0.1f, 100.0f, 1.0E-4f, -0.0f, 0.0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
        Float.MAX_VALUE, Float.MIN_VALUE, Float.MIN_NORMAL, 1.0E-5f, 3.14159f, 16777216f, 1.0E7f, 9999999f, 0.001f, 123456.79f, 2.0E-3f, 1.0E-44f};
    for (float f : floats) both("float32 " + f, Schema.FLOAT32_SCHEMA, f);
    double[] doubles = {1.0E10, 0.1, 100.0, 1.0E-4, -0.0, 0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1.0E23,
        2.82879384806159E17, Double.MIN_VALUE, Double.MAX_VALUE, Double.MIN_NORMAL, 1.0E7, 9999999.0, 0.001, Math.nextDown(0.001), 1.0E-5,
        123456.789, 4.35E-10, 2.0E-3, 12345678.9, 1.0 / 3, 2.0 / 3, 9.007199254740993E15, 1.0E21, 1.0E22, 5.0E-324, -1.5};
    for (double d : doubles) both("float64 " + d, Schema.FLOAT64_SCHEMA, d);
    both("boolean true", Schema.BOOLEAN_SCHEMA, true);
    both("boolean false", Schema.BOOLEAN_SCHEMA, false);
    String[] strings = {"hello", "", "Caf\u00e9 \ud83d\ude00", "\u0000\u0001\u0007\u001f\b\t\n\u000b\f\r\"\\/\u007f\u0080\u00a0\u2028\u2029\ufeff\uffff",
        "lone high \ud800 and low \udc00", "\ud83d\ude00\ud83c\udf89", "\u65e5\u672c\u8a9e", "tab\tquote\"backslash\\", "</script>&'<>"};
    for (int i = 0; i < strings.length; i++) both("string #" + i, Schema.STRING_SCHEMA, strings[i]);
    both("bytes dead", Schema.BYTES_SCHEMA, new byte[] {(byte) 0xde, (byte) 0xad});
    both("bytes empty", Schema.BYTES_SCHEMA, new byte[0]);
    byte[] all = new byte[70];
    for (int i = 0; i < all.length; i++) all[i] = (byte) (i * 37 + 250);
    both("bytes 70", Schema.BYTES_SCHEMA, all);

    // FileStreamSource lines: STRING schema plus the line.
    String[] lines = {"This is a line", "a line with \"quotes\", a \\ and a\ttab", "unicode \u00e9 \u00fc \u00df \u4e2d\u6587 \ud83d\ude00", ""};
    for (int i = 0; i < lines.length; i++) both("file line #" + i, Schema.STRING_SCHEMA, lines[i]);

    // Optional values, nulls and defaults.
    both("optional string null", Schema.OPTIONAL_STRING_SCHEMA, null);
    both("optional int32 null", Schema.OPTIONAL_INT32_SCHEMA, null);
    both("optional float64 null", Schema.OPTIONAL_FLOAT64_SCHEMA, null);
    Schema optDefault = SchemaBuilder.string().optional().defaultValue("d").build();
    both("optional string default, null", optDefault, null);
    write("optional string default, null, no replace [schemas]", cfg("replace.null.with.default", "false"), optDefault, null);
    write("optional string default, null, no replace [plain]", cfg("schemas.enable", "false", "replace.null.with.default", "false"), optDefault, null);
    both("optional string default, value", optDefault, "v");
    Schema reqDefault = SchemaBuilder.int32().defaultValue(5).build();
    both("required int32 default, null", reqDefault, null);
    write("required int32 default, null, no replace", cfg("replace.null.with.default", "false"), reqDefault, null);
    both("required int32 null", Schema.INT32_SCHEMA, null);
    both("schema metadata", SchemaBuilder.string().name("com.example.Name").version(3).doc("a \"doc\"").parameter("b", "2").parameter("a", "1").build(), "x");
    // JavaScript objects list integer-like keys first, so this order cannot be expressed in Schema.parameters.
    write("schema parameters integer-like key", ON, SchemaBuilder.string().parameter("b", "2").parameter("10", "x").build(), "x");
    both("int32 doc version default", SchemaBuilder.int32().doc("fd").version(7).defaultValue(5).build(), 9);
    both("float64 default", SchemaBuilder.float64().defaultValue(1.5).build(), 2.25);
    both("float32 default", SchemaBuilder.float32().optional().defaultValue(0.1f).build(), null);
    both("bytes default", SchemaBuilder.bytes().optional().defaultValue(new byte[] {1, 2}).build(), null);
    write("boolean default, no replace", cfg("replace.null.with.default", "false"), SchemaBuilder.bool().optional().defaultValue(true).build(), null);
    both("int64 default big", SchemaBuilder.int64().defaultValue(Long.MIN_VALUE).build(), 1L);
    both("name only", SchemaBuilder.int64().name("n").build(), 1L);

    // Arrays.
    both("array optional int32", SchemaBuilder.array(Schema.OPTIONAL_INT32_SCHEMA).optional().build(), list(1, null, 3));
    both("array string", SchemaBuilder.array(Schema.STRING_SCHEMA).build(), list("a", "b"));
    both("array empty", SchemaBuilder.array(Schema.STRING_SCHEMA).build(), list());
    both("array of arrays", SchemaBuilder.array(SchemaBuilder.array(Schema.INT64_SCHEMA).build()).build(), list(list(1L, 2L), list(3L)));
    both("array float32", SchemaBuilder.array(Schema.FLOAT32_SCHEMA).build(), list(1.5f, Float.NaN, 0.1f));
    both("array default", SchemaBuilder.array(Schema.OPTIONAL_STRING_SCHEMA).optional().defaultValue(list("x", null)).build(), null);
    both("array required element null", SchemaBuilder.array(Schema.INT32_SCHEMA).build(), list(1, null));

    // Maps.
    both("map string int32", SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT32_SCHEMA).build(), map("b", 1, "a", 2, "\ud83d\ude00", 3, "", 4, "10", 5));
    both("map int32 string", SchemaBuilder.map(Schema.INT32_SCHEMA, Schema.STRING_SCHEMA).build(), map(1, "a", 2, "b"));
    both("map int64 float64", SchemaBuilder.map(Schema.INT64_SCHEMA, Schema.FLOAT64_SCHEMA).build(), map(Long.MAX_VALUE, 0.5, -1L, -0.0));
    both("map string optional string", SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.OPTIONAL_STRING_SCHEMA).build(), map("k", null, "j", "v"));
    both("map string array", SchemaBuilder.map(Schema.STRING_SCHEMA, SchemaBuilder.array(Schema.INT32_SCHEMA).build()).build(), map("xs", list(1, 2)));
    both("map boolean string", SchemaBuilder.map(Schema.BOOLEAN_SCHEMA, Schema.STRING_SCHEMA).build(), map(true, "t", false, "f"));
    both("map nested", SchemaBuilder.map(Schema.STRING_SCHEMA, SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT64_SCHEMA).build()).optional().build(),
        map("outer", map("inner", 7L)));
    both("map empty string keys", SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT32_SCHEMA).build(), map());
    both("map empty int keys", SchemaBuilder.map(Schema.INT32_SCHEMA, Schema.INT32_SCHEMA).build(), map());
    both("map optional key null", SchemaBuilder.map(Schema.OPTIONAL_STRING_SCHEMA, Schema.INT32_SCHEMA).build(), map(null, 1, "a", 2));
    both("map bytes keys", SchemaBuilder.map(Schema.BYTES_SCHEMA, Schema.STRING_SCHEMA).build(), map(new byte[] {1}, "one"));

    // Structs (the extension point: TypeScript passes a plain object keyed by field name).
    Schema order = SchemaBuilder.struct().name("com.example.Order").version(1)
        .field("id", Schema.INT32_SCHEMA)
        .field("name", Schema.OPTIONAL_STRING_SCHEMA)
        .field("tags", SchemaBuilder.array(Schema.STRING_SCHEMA).build())
        .field("attrs", SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT32_SCHEMA).optional().build())
        .field("status", SchemaBuilder.string().optional().defaultValue("NEW").build())
        .build();
    Struct o = new Struct(order).put("id", 42).put("name", "Caf\u00e9 \ud83d\ude00").put("tags", list("a", "b")).put("attrs", map("qty", 3));
    both("struct order", order, o);
    write("struct order, no replace", cfg("replace.null.with.default", "false"), order, o);
    Schema inner = SchemaBuilder.struct().field("a", Schema.INT64_SCHEMA).build();
    Schema outer = SchemaBuilder.struct().field("inner", inner).field("b", Schema.BOOLEAN_SCHEMA).field("f", Schema.FLOAT32_SCHEMA).build();
    both("struct nested", outer, new Struct(outer).put("inner", new Struct(inner).put("a", 5L)).put("b", true).put("f", 2.5f));
    Schema withReqDefault = SchemaBuilder.struct().field("x", SchemaBuilder.int32().defaultValue(7).build()).build();
    both("struct required field default unset", withReqDefault, new Struct(withReqDefault));
    write("struct required field default unset, no replace", cfg("replace.null.with.default", "false"), withReqDefault, new Struct(withReqDefault));
    // (A struct default cannot be written by Apache at all: the default Struct's schema is the builder, which never equals the built schema.)
    Schema docField = SchemaBuilder.struct().field("x", SchemaBuilder.int32().doc("fd").version(7).defaultValue(5).build()).build();
    both("struct field metadata", docField, new Struct(docField).put("x", 1));

    // Schemaless values.
    both("schemaless long 1", null, 1L);
    both("schemaless long -5", null, -5L);
    both("schemaless long max", null, Long.MAX_VALUE);
    both("schemaless integer", null, 5);
    both("schemaless double 2.5", null, 2.5);
    both("schemaless double -0.0", null, -0.0);
    both("schemaless double NaN", null, Double.NaN);
    both("schemaless double 1e21", null, 1.0E21);
    both("schemaless double 1e-7", null, 1.0E-7);
    both("schemaless float 1.5", null, 1.5f);
    both("schemaless boolean", null, true);
    both("schemaless string", null, "str \ud83d\ude00");
    both("schemaless bytes", null, new byte[] {1, 2, 3});
    both("schemaless list", null, list(1L, null, "x", 2.5, true));
    both("schemaless list empty", null, list());
    both("schemaless map", null, map("n", 1L, "d", 2.5, "s", "x", "b", new byte[] {(byte) 0xde, (byte) 0xad}, "l", list(1L, null), "z", null,
        "ik", map(1L, "one", 2L, "two")));
    both("schemaless map empty", null, map());
    both("schemaless map mixed keys", null, map("a", 1L, 2L, "b"));
    both("schemaless map null key", null, map(null, 1L));
    both("schemaless nested", null, list(map("k", list(map())), list(list())));
    both("tombstone", null, null);
    write("tombstone key", ON, "key", null, null);
    both("schemaless date", null, new java.util.Date(0));

    // Type errors.
    both("error int32 string", Schema.INT32_SCHEMA, "x");
    both("error string long", Schema.STRING_SCHEMA, 5L);
    both("error int64 double", Schema.INT64_SCHEMA, 1.5);
    both("error boolean string", Schema.BOOLEAN_SCHEMA, "true");
    both("error bytes string", Schema.BYTES_SCHEMA, "AQ==");
    both("error array string", SchemaBuilder.array(Schema.INT32_SCHEMA).build(), "x");
    both("error map list", SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT32_SCHEMA).build(), list(1));
    both("error float64 long", Schema.FLOAT64_SCHEMA, 5L);
    both("error float32 long", Schema.FLOAT32_SCHEMA, 5L);
    both("error int32 long", Schema.INT32_SCHEMA, 5L);
    both("error map key type", SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT32_SCHEMA).build(), map(1L, 1));

    // Converter roles and config values that do not change the bytes.
    write("key converter", ON, "key", Schema.STRING_SCHEMA, "k");
    write("header converter", ON, "header", Schema.STRING_SCHEMA, "h");
    write("header converter plain", OFF, "header", Schema.INT32_SCHEMA, 7);
    write("decimal.format numeric", cfg("decimal.format", "numeric", "schemas.cache.size", "0"), Schema.FLOAT64_SCHEMA, 0.5);

    // ------------------------------------------------------------ reading
    read("tombstone", ON, "value", null);
    read("tombstone plain", OFF, "value", null);
    String[] envelopeErrors = {"{\"a\":1}", "", "   ", "null", "[1,2]", "{\"schema\":null,\"payload\":1,\"extra\":2}", "{\"schema\":null}", "1"};
    for (String s : envelopeErrors) read("envelope required: " + s, ON, s);
    read("envelope duplicate keys", ON, "{\"schema\":null,\"payload\":1,\"payload\":2}");
    read("envelope reordered", ON, "{\"payload\":\"x\",\"schema\":{\"type\":\"string\",\"optional\":false}}");
    read("envelope whitespace", ON, " {\n \"schema\" : { \"type\" : \"int32\" } ,\t\"payload\" : 7 }\r\n");

    String[] plain = {"", " ", "null", "1", "1.0", "-0", "-0.0", "007", "-007", "00.5", "1e2", "1E400", "-1e-400", "1e-400", "12345678901234567890",
        "-9223372036854775809", "9223372036854775807", "-9223372036854775808", "0.1", "9007199254740993", "\"str\"", "true", "false",
        "[1,\"a\",null,2.5,{\"k\":[]}]", "{\"b\":1,\"a\":{\"c\":null}}", "{\"dup\":1,\"dup\":2}", "\"\\u00e9\\ud83d\\ude00\\u0041\"",
        "\"\u00e9\"", "\"\\ud800\"", "\"\\/\\b\\f\\n\\r\\t\\\"\\\\\"", "\ufeff1", "1 2", "1x", "1]", "1,2", "{}x", "[1]]", "truex", "true]", "true1", "nul",
        "[1,]", "{\"a\":1,}", "'a'", ".5", "1.", "+1", "-", "1e", "1e+", "NaN", "Infinity", "-Infinity", "\"a\u0001\"", "\"\\x\"", "\"\\u12\"",
        "{\"a\":1} {\"b\":2}", " \t\n1\r\n", "/* c */1", "[", "{\"a\"", "{a:1}", "\"unterminated", "\u00a01", "\u000b1", "[1 2]", "{\"a\" 1}",
        "[-]", "[01]", "[1.5e3]", "[1E-2]", "{\"__proto__\":1}", "{\"\":0}", "123456789012345678901234567890.5", "1e2147483648", "0e99999999999"};
    for (String s : plain) read("plain " + quote(s), OFF, s);
    read("plain invalid utf-8", OFF, "value", new byte[] {'"', (byte) 0xff, '"'});
    read("plain invalid utf-8 outside string", OFF, "value", new byte[] {(byte) 0xc3, '1'});
    read("plain nesting 500", OFF, "[".repeat(500) + "]".repeat(500));
    read("plain nesting 1001", OFF, "[".repeat(1001) + "]".repeat(1001));
    read("plain nesting 1000", OFF, "[".repeat(1000) + "]".repeat(1000));
    read("plain number 1000 digits", OFF, "1".repeat(1000));
    read("plain number 1001 digits", OFF, "1".repeat(1001));
    read("plain fraction 1000 digits", OFF, "0." + "1".repeat(999));
    read("plain fraction 1001 digits", OFF, "0." + "1".repeat(1000));
    read("plain fraction 1000 digits split", OFF, "1".repeat(500) + "." + "1".repeat(500));
    read("plain fraction 1000 digits exponent", OFF, "1".repeat(500) + "." + "1".repeat(496) + "e100");
    read("plain negative 1000 digits", OFF, "-" + "1".repeat(1000));
    read("plain 1000 digits with exponent digits", OFF, "1".repeat(500) + "." + "1".repeat(497) + "e100");
    read("plain 1001 digits with exponent digits", OFF, "1".repeat(500) + "." + "1".repeat(498) + "e100");
    read("plain 1001 digits with signed exponent", OFF, "1".repeat(500) + "." + "1".repeat(497) + "e+100");
    String[] exps = {"1e2147483647", "1e-2147483647", "1e-2147483648", "1.5e-2147483647", "1.5e2147483647", "10e2147483647", "1e9999999999", "1e-9999999999"};
    for (String e : exps) read("plain " + e, OFF, e);
    for (String e : exps) read("int64 " + e, ON, "{\"schema\":{\"type\":\"int64\"},\"payload\":" + e + "}");
    read("header plain", OFF, "header", "{\"a\":[1]}".getBytes(StandardCharsets.UTF_8));

    // Lax coercions with a schema.
    String int32 = "{\"type\":\"int32\",\"optional\":false}";
    readEnvelope("int64 from string", "{\"type\":\"int64\"}", "\"12\"");
    readEnvelope("boolean from 1", "{\"type\":\"boolean\"}", "1");
    readEnvelope("boolean from string", "{\"type\":\"boolean\"}", "\"true\"");
    readEnvelope("string from number", "{\"type\":\"string\"}", "5");
    readEnvelope("string from boolean", "{\"type\":\"string\"}", "true");
    readEnvelope("string from object", "{\"type\":\"string\"}", "{}");
    readEnvelope("int8 300", "{\"type\":\"int8\"}", "300");
    readEnvelope("int8 -129.9", "{\"type\":\"int8\"}", "-129.9");
    readEnvelope("int16 70000", "{\"type\":\"int16\"}", "70000");
    readEnvelope("int32 1.9", int32, "1.9");
    readEnvelope("int32 -1.9", int32, "-1.9");
    readEnvelope("int32 4294967297", int32, "4294967297");
    readEnvelope("int32 big", int32, "12345678901234567890123");
    readEnvelope("int32 1e10", int32, "1e10");
    readEnvelope("int32 true", int32, "true");
    readEnvelope("int32 array", int32, "[1]");
    readEnvelope("int64 1e30", "{\"type\":\"int64\"}", "1e30");
    readEnvelope("int64 1.5e300", "{\"type\":\"int64\"}", "1.5e300");
    readEnvelope("int64 wrap", "{\"type\":\"int64\"}", "12345678901234567890");
    readEnvelope("int64 -2^63", "{\"type\":\"int64\"}", "-9223372036854775808");
    readEnvelope("int64 1e19 decimal", "{\"type\":\"int64\"}", "18446744073709551617.75");
    readEnvelope("float32 string", "{\"type\":\"float\"}", "\"NaN\"");
    readEnvelope("float32 0.1", "{\"type\":\"float\"}", "0.1");
    readEnvelope("float32 1e39", "{\"type\":\"float\"}", "1e39");
    readEnvelope("float32 16777217", "{\"type\":\"float\"}", "16777217");
    readEnvelope("float32 2^60+1", "{\"type\":\"float\"}", "1152921504606846977");
    readEnvelope("float32 long near midpoint", "{\"type\":\"float\"}", "9007199791611905");
    readEnvelope("float32 above midpoint", "{\"type\":\"float\"}", "1.00000005960464477539062500001");
    readEnvelope("float32 below midpoint", "{\"type\":\"float\"}", "1.000000059604644775390624999");
    readEnvelope("float32 exact midpoint", "{\"type\":\"float\"}", "1.000000059604644775390625");
    readEnvelope("float32 subnormal", "{\"type\":\"float\"}", "1.0E-45");
    readEnvelope("float32 tiny", "{\"type\":\"float\"}", "7.0E-46");
    readEnvelope("float32 -0.0", "{\"type\":\"float\"}", "-0.0");
    readEnvelope("float64 1", "{\"type\":\"double\"}", "1");
    readEnvelope("float64 string", "{\"type\":\"double\"}", "\"x\"");
    readEnvelope("float64 -0.0", "{\"type\":\"double\"}", "-0.0");
    readEnvelope("float64 -0", "{\"type\":\"double\"}", "-0");
    readEnvelope("float64 -1e-400", "{\"type\":\"double\"}", "-1e-400");
    readEnvelope("float64 1e400", "{\"type\":\"double\"}", "1e400");
    readEnvelope("float64 big int", "{\"type\":\"double\"}", "123456789012345678901234567890");
    String[] b64 = {"AQID", "AQ==", "AQI=", "AQ", "AQI", " AQID", "AQ ID", "AQID AQ==", "AQ==AQ==", "-_8=", "A===", "", "  ", "AQID\n", "=AQI", "AQ=A", "\u00e9AAA", "AQID=", "AR=="};
    for (String s : b64) readEnvelope("bytes " + quote(s), "{\"type\":\"bytes\"}", quote(s));
    readEnvelope("bytes from number", "{\"type\":\"bytes\"}", "5");
    readEnvelope("array from object", "{\"type\":\"array\",\"items\":{\"type\":\"int32\"}}", "{\"a\":1,\"b\":2}");
    readEnvelope("array from string", "{\"type\":\"array\",\"items\":{\"type\":\"int32\"}}", "\"x\"");
    readEnvelope("array from number", "{\"type\":\"array\",\"items\":{\"type\":\"int32\"}}", "5");
    readEnvelope("array null element", "{\"type\":\"array\",\"items\":{\"type\":\"int32\"}}", "[1,null]");
    readEnvelope("array optional element", "{\"type\":\"array\",\"items\":{\"type\":\"int32\",\"optional\":true}}", "[1,null]");
    String mapSI = "{\"type\":\"map\",\"keys\":{\"type\":\"string\"},\"values\":{\"type\":\"int32\"}}";
    String mapIS = "{\"type\":\"map\",\"keys\":{\"type\":\"int32\"},\"values\":{\"type\":\"string\"}}";
    readEnvelope("map string keys", mapSI, "{\"b\":1,\"a\":2}");
    readEnvelope("map string keys from array", mapSI, "[[\"a\",1]]");
    readEnvelope("map int keys", mapIS, "[[1,\"a\"],[2,\"b\"]]");
    readEnvelope("map int keys from object", mapIS, "{\"1\":\"a\"}");
    readEnvelope("map int keys bad entry", mapIS, "[[1,\"a\"],2]");
    readEnvelope("map int keys long entry", mapIS, "[[1,\"a\",\"b\"]]");
    readEnvelope("map int keys short entry", mapIS, "[[1]]");
    readEnvelope("map int keys duplicate", mapIS, "[[1,\"a\"],[1,\"b\"]]");
    readEnvelope("map from string", mapSI, "\"x\"");
    readEnvelope("map null value", mapSI, "{\"a\":null}");
    readEnvelope("map int64 keys", "{\"type\":\"map\",\"keys\":{\"type\":\"int64\"},\"values\":{\"type\":\"boolean\"}}", "[[9223372036854775807,true],[-1,false]]");
    String struct = "{\"type\":\"struct\",\"fields\":[{\"type\":\"int32\",\"optional\":false,\"field\":\"id\"},"
        + "{\"type\":\"string\",\"optional\":true,\"field\":\"name\"},{\"type\":\"string\",\"optional\":true,\"default\":\"NEW\",\"field\":\"status\"}],"
        + "\"optional\":false,\"name\":\"com.example.Order\",\"version\":1}";
    readEnvelope("struct", struct, "{\"id\":1,\"name\":\"n\",\"status\":\"S\"}");
    readEnvelope("struct missing optional", struct, "{\"id\":1}");
    readEnvelope("struct extra field", struct, "{\"id\":1,\"zzz\":2}");
    readEnvelope("struct missing required", struct, "{\"name\":\"n\"}");
    readEnvelope("struct from array", struct, "[1]");
    readEnvelope("struct null", struct, "null");
    read("struct null default, no replace", cfg("replace.null.with.default", "false"), "{\"schema\":" + struct + ",\"payload\":{\"id\":1,\"status\":null}}");
    readEnvelope("required null", int32, "null");
    readEnvelope("optional null", "{\"type\":\"int32\",\"optional\":true}", "null");
    readEnvelope("default for null", "{\"type\":\"int32\",\"optional\":false,\"default\":5}", "null");
    read("default for null, no replace", cfg("replace.null.with.default", "false"), "{\"schema\":{\"type\":\"int32\",\"optional\":false,\"default\":5},\"payload\":null}");
    read("optional default for null, no replace", cfg("replace.null.with.default", "false"), "{\"schema\":{\"type\":\"int32\",\"optional\":true,\"default\":5},\"payload\":null}");

    // Schema parsing: each schema with a payload it accepts.
    String[][] schemas = {
        {"{}", "1"}, {"{\"type\":5}", "1"}, {"{\"type\":\"foo\"}", "1"}, {"{\"type\":\"INT32\"}", "1"}, {"{\"type\":\"array\"}", "[]"},
        {"{\"type\":\"array\",\"items\":null}", "[]"}, {"{\"type\":\"array\",\"items\":5}", "[]"}, {"{\"type\":\"map\",\"values\":{\"type\":\"int32\"}}", "[]"},
        {"{\"type\":\"map\",\"keys\":null,\"values\":{\"type\":\"int32\"}}", "[]"}, {"{\"type\":\"map\",\"keys\":{\"type\":\"int32\"}}", "[]"},
        {"{\"type\":\"map\",\"keys\":{\"type\":\"int32\"},\"values\":null}", "[]"}, {"{\"type\":\"map\",\"keys\":null,\"values\":null}", "[]"},
        {"{\"type\":\"struct\"}", "{}"}, {"{\"type\":\"struct\",\"fields\":{}}", "{}"}, {"{\"type\":\"struct\",\"fields\":[]}", "{}"},
        {"{\"type\":\"struct\",\"fields\":[{\"type\":\"int32\"}]}", "{}"}, {"{\"type\":\"struct\",\"fields\":[5]}", "{}"},
        {"{\"type\":\"struct\",\"fields\":[{\"type\":\"int32\",\"field\":\"a\"},{\"type\":\"int32\",\"field\":\"a\"}]}", "{}"},
        {"{\"type\":\"struct\",\"fields\":[{\"type\":\"int32\",\"field\":\"\"}]}", "{}"}, {"{\"type\":\"struct\",\"fields\":[{\"type\":\"int32\",\"field\":5}]}", "{}"},
        {"{\"type\":\"struct\",\"fields\":[{\"type\":\"int32\",\"field\":\"__proto__\"},{\"type\":\"string\",\"field\":\"b\",\"optional\":true}]}", "{\"__proto__\":4}"},
        {"{\"type\":\"string\",\"parameters\":{\"a\":1}}", "\"s\""}, {"{\"type\":\"string\",\"parameters\":{\"b\":\"1\",\"a\":\"2\",\"1\":\"3\"}}", "\"s\""},
        {"{\"type\":\"string\",\"parameters\":[1]}", "\"s\""}, {"{\"type\":\"string\",\"parameters\":{}}", "\"s\""},
        {"{\"type\":\"int32\",\"optional\":false,\"default\":null}", "1"}, {"{\"type\":\"int32\",\"optional\":true,\"default\":null}", "1"},
        {"{\"type\":\"int32\",\"version\":2.5}", "1"}, {"{\"type\":\"int32\",\"version\":\"3\"}", "1"}, {"{\"type\":\"int32\",\"version\":4294967299}", "1"},
        {"{\"type\":\"int32\",\"version\":1e2}", "1"}, {"{\"type\":\"int32\",\"optional\":\"true\"}", "1"}, {"{\"type\":\"int32\",\"optional\":1}", "1"},
        {"{\"type\":\"int32\",\"name\":5,\"doc\":false}", "1"}, {"{\"type\":\"int32\",\"name\":\"n\",\"doc\":\"d\",\"version\":-1}", "1"},
        {"{\"type\":\"int32\",\"default\":\"x\"}", "null"}, {"{\"type\":\"int8\",\"default\":300}", "null"}, {"{\"type\":\"int32\",\"unknown\":1}", "1"},
        {"[1]", "1"}, {"\"int32\"", "1"}, {"5", "1"},
        {"{\"type\":\"array\",\"items\":{\"type\":\"string\"},\"default\":[\"a\"]}", "null"},
        {"{\"type\":\"map\",\"keys\":{\"type\":\"string\"},\"values\":{\"type\":\"int64\"},\"default\":{\"a\":1}}", "null"},
        {"{\"type\":\"struct\",\"fields\":[{\"type\":\"int32\",\"field\":\"a\"}],\"default\":{\"a\":3}}", "null"},
        {"{\"type\":\"struct\",\"fields\":[{\"type\":\"int32\",\"field\":\"a\"}],\"optional\":true,\"default\":{\"a\":3}}", "null"},
        {"{\"type\":\"bytes\",\"default\":\"AQ==\"}", "null"}, {"{\"type\":\"bytes\",\"default\":\"AQ\"}", "null"}, {"{\"type\":\"float\",\"default\":0.1}", "null"},
        {"{\"type\":\"double\",\"default\":\"x\"}", "null"}, {"{\"type\":\"boolean\",\"default\":true,\"optional\":true}", "null"},
        {"{\"type\":\"array\",\"items\":{\"type\":\"int32\"},\"default\":[null]}", "null"}, {"{\"type\":\"string\",\"name\":\"s\",\"type\":\"int64\"}", "1"},
        {"{\"type\":\"int64\",\"name\":\"com.example.Custom\",\"version\":2,\"doc\":\"d\",\"parameters\":{\"k\":\"v\"},\"optional\":true}", "7"}};
    for (String[] sp : schemas) readEnvelope("schema " + sp[0], sp[0], sp[1]);

    // schema.content (KIP-1054): one schema for every message, which is the bare payload.
    Map<String, String> content = cfg("schema.content", "{\"type\":\"int32\"}");
    read("schema.content int32", content, "42");
    read("schema.content ignores envelope", content, "{\"schema\":null,\"payload\":1}");
    read("schema.content empty input", content, "");
    read("schema.content null", content, "null");
    read("schema.content plain", cfg("schema.content", "{\"type\":\"int32\"}", "schemas.enable", "false"), "42");
    read("schema.content null schema", cfg("schema.content", "null"), "{\"schema\":null,\"payload\":1}");
    read("schema.content blank", cfg("schema.content", "  "), "{\"schema\":null,\"payload\":1}");
    read("schema.content struct", cfg("schema.content", struct), "{\"id\":3}");
    configure("schema.content not json", cfg("schema.content", "nope"));
    configure("schema.content no type", cfg("schema.content", "{\"x\":1}"));
    configure("decimal.format bad", cfg("decimal.format", "foo"));
    configure("decimal.format lower", cfg("decimal.format", "numeric"));
    configure("schemas.enable bad", cfg("schemas.enable", "yes"));
    configure("schemas.enable upper", cfg("schemas.enable", "FALSE"));
    configure("schemas.cache.size bad", cfg("schemas.cache.size", "x"));
    configure("replace.null.with.default bad", cfg("replace.null.with.default", "1"));
  }

  // ---------------------------------------------------------------- Double.toString / Float.toString

  private static void number(double d) {
    System.out.println(json(obj("k", "d", "b", String.format("%016x", Double.doubleToRawLongBits(d)), "s", Double.toString(d))));
    count++;
  }

  private static void number(float f) {
    System.out.println(json(obj("k", "f", "b", String.format("%08x", Float.floatToRawIntBits(f)), "s", Float.toString(f))));
    count++;
  }

  private static void numberCases() {
    Random r = new Random(20251124L);
    // Edge values.
    double[] edges = {0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MIN_VALUE, Double.MAX_VALUE, Double.MIN_NORMAL,
        Math.nextDown(Double.MIN_NORMAL), 1.0E23, 2.82879384806159E17, 1.0E7, 9999999.0, 9999999.999999998, 0.001, 0.1, 0.2, 0.3, 100.0, 1.0E-4, 1.0E10,
        1.0E21, 1.0E22, 2.0E-3, 4.35E-10, 5.0E-324, 1.0 / 3, 2.0 / 3, 9.007199254740993E15, 1.7976931348623157E308, 2.2250738585072014E-308};
    for (double d : edges) { number(d); number(-d); number(Math.nextUp(d)); number(Math.nextDown(d)); }
    float[] fedges = {0.0f, -0.0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE, Float.MAX_VALUE, Float.MIN_NORMAL,
        Math.nextDown(Float.MIN_NORMAL), 1.0E7f, 9999999f, 0.001f, 0.1f, 0.2f, 0.3f, 100f, 1.0E-4f, 1.0E10f, 2.0E-3f, 1.0E-5f, 16777216f, 3.4028235E38f,
        1.0E-44f, 1.0E-45f, 3.14159f, 1.0f / 3, 8.589973E9f, 1.00000017881393432617187499f};
    for (float f : fedges) { number(f); number(-f); number(Math.nextUp(f)); number(Math.nextDown(f)); }
    // Powers of two and ten and their neighbours.
    for (int e = -1074; e <= 1023; e += 11) { double d = Math.scalb(1.0, e); number(d); number(Math.nextUp(d)); number(Math.nextDown(d)); }
    for (int e = -149; e <= 127; e += 2) { float f = Math.scalb(1.0f, e); number(f); number(Math.nextUp(f)); number(Math.nextDown(f)); }
    for (int e = -325; e <= 308; e += 3) { double d = Double.parseDouble("1e" + e); number(d); number(Math.nextUp(d)); }
    for (int e = -46; e <= 38; e++) { float f = Float.parseFloat("1e" + e); number(f); number(Math.nextDown(f)); }
    // Arbitrary bit patterns.
    for (int i = 0; i < 600; i++) number(Double.longBitsToDouble(r.nextLong()));
    for (int i = 0; i < 600; i++) number(Float.intBitsToFloat(r.nextInt()));
    // Short decimals, the values people actually write.
    for (int i = 0; i < 500; i++) {
      int digits = 1 + r.nextInt(17);
      long mant = Math.abs(r.nextLong()) % (long) Math.pow(10, digits);
      number(Double.parseDouble(mant + "e" + (r.nextInt(50) - 30)));
    }
    for (int i = 0; i < 500; i++) {
      int digits = 1 + r.nextInt(9);
      long mant = Math.abs(r.nextLong()) % (long) Math.pow(10, digits);
      number(Float.parseFloat(mant + "e" + (r.nextInt(30) - 20)));
    }
    // Integers, fractions of integers and subnormals.
    for (int i = 0; i < 150; i++) { number((double) r.nextLong()); number((double) (r.nextInt() >> r.nextInt(31))); number((float) r.nextLong()); number((float) r.nextInt()); }
    for (int i = 0; i < 100; i++) { number(r.nextInt(100000) / 1000.0); number(r.nextInt(100000) / 1000.0f); number(r.nextDouble()); number(r.nextFloat()); }
    for (int i = 0; i < 100; i++) { number(Double.longBitsToDouble(r.nextLong() & 0x000fffffffffffffL)); number(Float.intBitsToFloat(r.nextInt() & 0x007fffff)); }
  }

  public static void main(String[] args) {
    String what = args.length > 0 ? args[0] : "json";
    System.out.println(json(obj("kind", "meta", "generator", "test/converters/java/JsonGolden.java " + what,
        "kafka", org.apache.kafka.common.utils.AppInfoParser.getVersion(), "java", System.getProperty("java.version"))));
    if (what.equals("numbers")) numberCases();
    else jsonCases();
    System.err.println(count + " " + what + " cases, java " + System.getProperty("java.version"));
  }
}
