/*
 * Golden-output generator for test/converters/values/golden.test.ts: runs Apache Kafka 4.3.1's real
 * SimpleHeaderConverter (Values.parseString / Values.convertToString) and InsertHeader over JSON-line cases read from
 * stdin and prints one JSON line per case. Values are printed with their Java class as a tag ({"int8": "42"},
 * {"float32": "1.0E21"}, {"date": "<epoch millis>"}, ...) so the TypeScript test can compare types, not only text.
 *
 * Case forms:  {"name", "text"}   header bytes = text in UTF-8, and InsertHeader value.literal = text
 *              {"name", "bytes"}  header bytes given in base64 (invalid UTF-8 and the like)
 *              {"utf8Groups": [...]}  new String(bytes, UTF_8) over an enumeration of byte sequences (see
 *                                 utf8Sequences), one SHA-256 per first byte, as {"first", "count", "sha256"} lines
 */
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.storage.SimpleHeaderConverter;
import org.apache.kafka.connect.transforms.InsertHeader;

public final class ValuesGolden {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  // Non-ASCII escaped, so lone surrogates survive the trip through the golden file.
  private static final ObjectMapper M = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

  static JsonNode schema(Schema s) {
    if (s == null) return F.nullNode();
    ObjectNode o = F.objectNode();
    o.put("type", s.type().getName());
    o.put("optional", s.isOptional());
    if (s.name() != null) o.put("name", s.name());
    if (s.version() != null) o.put("version", s.version());
    if (s.parameters() != null && !s.parameters().isEmpty()) {
      ObjectNode p = o.putObject("parameters");
      for (Map.Entry<String, String> e : s.parameters().entrySet()) p.put(e.getKey(), e.getValue());
    }
    if (s.type() == Schema.Type.ARRAY) o.set("valueSchema", schema(s.valueSchema()));
    if (s.type() == Schema.Type.MAP) {
      o.set("keySchema", schema(s.keySchema()));
      o.set("valueSchema", schema(s.valueSchema()));
    }
    return o;
  }

  static JsonNode value(Object v) {
    if (v == null) return F.nullNode();
    if (v instanceof Boolean) return F.booleanNode((Boolean) v);
    ObjectNode o = F.objectNode();
    if (v instanceof String) o.put("string", (String) v);
    else if (v instanceof Byte) o.put("int8", v.toString());
    else if (v instanceof Short) o.put("int16", v.toString());
    else if (v instanceof Integer) o.put("int32", v.toString());
    else if (v instanceof Long) o.put("int64", v.toString());
    else if (v instanceof Float) o.put("float32", v.toString());
    else if (v instanceof Double) o.put("float64", v.toString());
    else if (v instanceof BigDecimal) {
      o.put("decimal", ((BigDecimal) v).unscaledValue().toString());
      o.put("scale", ((BigDecimal) v).scale());
    } else if (v instanceof java.util.Date) o.put("date", Long.toString(((java.util.Date) v).getTime()));
    else if (v instanceof byte[]) o.put("bytes", Base64.getEncoder().encodeToString((byte[]) v));
    else if (v instanceof List) {
      ArrayNode a = F.arrayNode();
      for (Object e : (List<?>) v) a.add(value(e));
      return a;
    } else if (v instanceof Map) {
      ArrayNode a = o.putArray("map");
      for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) a.add(F.arrayNode().add(value(e.getKey())).add(value(e.getValue())));
    } else o.put("unknown", v.getClass().getName() + ": " + v);
    return o;
  }

  static ObjectNode error(Throwable t) {
    ObjectNode o = F.objectNode();
    o.put("error", t.getClass().getSimpleName());
    o.put("message", String.valueOf(t.getMessage()));
    return o;
  }

  static ObjectNode schemaAndValue(SchemaAndValue sv) {
    ObjectNode o = F.objectNode();
    if (sv == null) {
      o.put("javaNull", true);
      o.set("schema", F.nullNode());
      o.set("value", F.nullNode());
      return o;
    }
    o.set("schema", schema(sv.schema()));
    o.set("value", value(sv.value()));
    return o;
  }

  /** Interesting bytes for the 3- and 4-byte sequences: ASCII, continuation bounds, lead bytes of every length. */
  static final int[] ALPHABET = {0x00, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff};

  /** For one first byte: itself, followed by every byte, by two alphabet bytes and (lead bytes) by three. */
  static List<byte[]> utf8Sequences(int first) {
    List<byte[]> out = new java.util.ArrayList<>();
    out.add(new byte[] {(byte) first});
    for (int b = 0; b < 256; b++) out.add(new byte[] {(byte) first, (byte) b});
    for (int b : ALPHABET) for (int c : ALPHABET) out.add(new byte[] {(byte) first, (byte) b, (byte) c});
    if (first >= 0xc0) for (int b : ALPHABET) for (int c : ALPHABET) for (int d : ALPHABET) out.add(new byte[] {(byte) first, (byte) b, (byte) c, (byte) d});
    return out;
  }

  static void utf8Groups(PrintStream out) throws Exception {
    for (int first = 0; first < 256; first++) {
      java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
      List<byte[]> seqs = utf8Sequences(first);
      for (byte[] seq : seqs) {
        String s = new String(seq, StandardCharsets.UTF_8);
        // UTF-16LE code units, then U+FFFF as a separator (lone surrogates kept as they are).
        for (int i = 0; i <= s.length(); i++) {
          char ch = i < s.length() ? s.charAt(i) : '\uffff';
          sha.update((byte) ch);
          sha.update((byte) (ch >>> 8));
        }
      }
      ObjectNode o = F.objectNode();
      o.put("utf8Group", first);
      o.put("count", seqs.size());
      o.put("sha256", java.util.HexFormat.of().formatHex(sha.digest()));
      out.println(M.writeValueAsString(o));
    }
  }

  public static void main(String[] args) throws Exception {
    SimpleHeaderConverter converter = new SimpleHeaderConverter();
    converter.configure(new HashMap<>());
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    PrintStream out = new PrintStream(System.out, true, "UTF-8");
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      if (line.isBlank()) continue;
      JsonNode c = M.readTree(line);
      if (c.has("utf8Groups")) {
        utf8Groups(out);
        continue;
      }
      ObjectNode r = (ObjectNode) c.deepCopy();
      byte[] bytes = c.has("bytes") ? Base64.getDecoder().decode(c.get("bytes").asText()) : c.get("text").asText().getBytes(StandardCharsets.UTF_8);
      if (c.has("bytes")) r.put("decoded", new String(bytes, StandardCharsets.UTF_8));

      // What a sink task gets for the header: toConnectHeader, then ConnectHeaders.add (which checks the schema).
      SchemaAndValue parsed = null;
      try {
        parsed = converter.toConnectHeader("topic", "h", bytes);
        ObjectNode h = schemaAndValue(parsed);
        try {
          new ConnectHeaders().add("h", parsed);
        } catch (Throwable t) {
          h.set("addError", error(t));
        }
        r.set("header", h);
      } catch (Throwable t) {
        r.set("header", error(t));
      }
      // What a source task writes back for that schema and value.
      if (parsed != null) {
        try {
          byte[] written = converter.fromConnectHeader("topic", "h", parsed.schema(), parsed.value());
          r.put("written", written == null ? null : Base64.getEncoder().encodeToString(written));
        } catch (Throwable t) {
          r.set("written", error(t));
        }
      }
      if (c.has("text")) {
        try {
          InsertHeader<SinkRecord> smt = new InsertHeader<>();
          Map<String, String> props = new HashMap<>();
          props.put("header", "h");
          props.put("value.literal", c.get("text").asText());
          smt.configure(props);
          SinkRecord rec = smt.apply(new SinkRecord("topic", 0, null, null, null, null, 0L));
          Header h = rec.headers().lastWithName("h");
          r.set("insert", schemaAndValue(new SchemaAndValue(h.schema(), h.value())));
        } catch (Throwable t) {
          r.set("insert", error(t));
        }
      }
      out.println(M.writeValueAsString(r));
    }
  }
}
