/*
 * Golden-output generator for test/converters/string/golden.test.ts: runs Apache Kafka 4.3.1's real StringConverter,
 * number converters (ShortConverter ... BooleanConverter) and java.nio.charset lookups over the JSON-line cases that
 * generate-golden.mjs writes to stdin, and prints one JSON line per case with what Apache did.
 *
 * Values arrive as JsonConverter envelopes ({"schema": ..., "payload": ...}), read with the real JsonConverter, so the
 * TypeScript test builds the same Connect value with our JsonConverter. Bytes travel as hex; strings are written with
 * every non-ASCII UTF-16 unit escaped, so lone surrogates survive the trip.
 */
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.kafka.connect.converters.BooleanConverter;
import org.apache.kafka.connect.converters.DoubleConverter;
import org.apache.kafka.connect.converters.FloatConverter;
import org.apache.kafka.connect.converters.IntegerConverter;
import org.apache.kafka.connect.converters.LongConverter;
import org.apache.kafka.connect.converters.ShortConverter;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.storage.Converter;
import org.apache.kafka.connect.storage.HeaderConverter;
import org.apache.kafka.connect.storage.StringConverter;

public final class StringConverterGolden {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final HexFormat HEX = HexFormat.of();
  private static final JsonConverter ENVELOPES = new JsonConverter();

  static {
    Map<String, Object> cfg = new HashMap<>();
    cfg.put("schemas.enable", "true");
    ENVELOPES.configure(cfg, false);
  }

  private static ObjectNode error(Throwable t) {
    ObjectNode e = MAPPER.createObjectNode();
    e.put("class", t.getClass().getSimpleName());
    e.put("message", String.valueOf(t.getMessage()));
    if (t.getCause() != null) {
      e.put("causeClass", t.getCause().getClass().getSimpleName());
      e.put("cause", String.valueOf(t.getCause().getMessage()));
    }
    return e;
  }

  private static Map<String, Object> config(JsonNode node) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (node != null) for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
      Map.Entry<String, JsonNode> e = it.next();
      m.put(e.getKey(), e.getValue().asText());
    }
    return m;
  }

  private static Object converter(String cls) {
    switch (cls) {
      case "StringConverter": return new StringConverter();
      case "ShortConverter": return new ShortConverter();
      case "IntegerConverter": return new IntegerConverter();
      case "LongConverter": return new LongConverter();
      case "FloatConverter": return new FloatConverter();
      case "DoubleConverter": return new DoubleConverter();
      case "BooleanConverter": return new BooleanConverter();
      default: throw new IllegalArgumentException(cls);
    }
  }

  /** mode "value" / "key": Converter.configure(map, isKey); "header": HeaderConverter.configure(map) as the worker does. */
  private static Object configured(String cls, Map<String, Object> cfg, String mode) {
    Object c = converter(cls);
    if (mode.equals("header")) {
      Map<String, Object> m = new HashMap<>(cfg);
      m.put("converter.type", "header");
      ((HeaderConverter) c).configure(m);
    } else {
      ((Converter) c).configure(cfg, mode.equals("key"));
    }
    return c;
  }

  private static byte[] write(Object c, String mode, org.apache.kafka.connect.data.Schema schema, Object value) {
    if (mode.equals("header")) return ((HeaderConverter) c).fromConnectHeader("topic", "h", schema, value);
    return ((Converter) c).fromConnectData("topic", schema, value);
  }

  private static SchemaAndValue read(Object c, String mode, byte[] in) {
    if (mode.equals("header")) return ((HeaderConverter) c).toConnectHeader("topic", "h", in);
    return ((Converter) c).toConnectData("topic", in);
  }

  /** A read value, typed: Java's class decides the tag. */
  private static ObjectNode describe(Object v) {
    ObjectNode d = MAPPER.createObjectNode();
    if (v == null) { d.putNull("t"); return d; }
    if (v instanceof String s) { d.put("t", "string"); d.put("v", s); return d; }
    if (v instanceof Short) { d.put("t", "int16"); d.put("v", v.toString()); return d; }
    if (v instanceof Integer) { d.put("t", "int32"); d.put("v", v.toString()); return d; }
    if (v instanceof Long) { d.put("t", "int64"); d.put("v", v.toString()); return d; }
    if (v instanceof Float f) { d.put("t", "float32"); d.put("bits", String.format("%08x", Float.floatToRawIntBits(f))); d.put("v", f.toString()); return d; }
    if (v instanceof Double x) { d.put("t", "float64"); d.put("bits", String.format("%016x", Double.doubleToRawLongBits(x))); d.put("v", x.toString()); return d; }
    if (v instanceof Boolean b) { d.put("t", "boolean"); d.put("v", b); return d; }
    throw new IllegalArgumentException("cannot describe " + v.getClass());
  }

  private static void run(JsonNode c, ObjectNode out) throws Exception {
    String op = c.get("op").asText();
    if (op.equals("charset")) {
      try {
        Charset cs = Charset.forName(c.get("name").asText());
        out.put("canonical", cs.name());
        out.put("canEncode", cs.canEncode());
        out.set("aliases", MAPPER.valueToTree(new java.util.TreeSet<>(cs.aliases())));
      } catch (RuntimeException e) {
        out.set("error", error(e));
      }
      return;
    }
    if (op.equals("table")) {
      // A single-byte charset's mapping: the characters of bytes 0x80..0xFF (U+FFFD where a byte maps to nothing),
      // whether 0x00..0x7F are ASCII, and the characters the encoder writes as a byte that does not decode back to
      // them (best-fit mappings), as [code point, byte] pairs.
      Charset cs;
      try {
        cs = Charset.forName(c.get("name").asText());
      } catch (RuntimeException e) {
        out.set("error", error(e));
        return;
      }
      out.put("canonical", cs.name());
      out.set("aliases", MAPPER.valueToTree(new java.util.TreeSet<>(cs.aliases())));
      byte[] all = new byte[256];
      for (int b = 0; b < 256; b++) all[b] = (byte) b;
      String decoded = new String(all, cs);
      out.put("singleByte", decoded.length() == 256);
      if (decoded.length() != 256) return;
      boolean ascii = true;
      for (int b = 0; b < 128; b++) ascii &= decoded.charAt(b) == b;
      out.put("ascii", ascii);
      out.put("high", decoded.substring(128));
      com.fasterxml.jackson.databind.node.ArrayNode extra = MAPPER.createArrayNode();
      for (int ch = 0; ch < 0x10000; ch++) {
        if (Character.isSurrogate((char) ch)) continue;
        byte[] enc = String.valueOf((char) ch).getBytes(cs);
        if (enc.length != 1) { extra.add(MAPPER.createArrayNode().add(ch).add(-enc.length)); continue; }
        int b = enc[0] & 0xff;
        if (b == '?' && ch != '?') continue;
        if (decoded.charAt(b) != ch) extra.add(MAPPER.createArrayNode().add(ch).add(b));
      }
      out.set("extra", extra);
      return;
    }
    String cls = c.get("class").asText();
    String mode = c.has("mode") ? c.get("mode").asText() : "value";
    Object conv;
    try {
      conv = configured(cls, config(c.get("config")), mode);
    } catch (RuntimeException e) {
      out.put("stage", "configure");
      out.set("error", error(e));
      return;
    }
    if (op.equals("write")) {
      org.apache.kafka.connect.data.Schema schema = null;
      Object value = null;
      JsonNode env = c.get("value");
      if (env != null && !env.isNull()) {
        SchemaAndValue sv = ENVELOPES.toConnectData("t", MAPPER.writeValueAsBytes(env));
        schema = sv.schema();
        value = sv.value();
      }
      if (c.has("passSchema") && !c.get("passSchema").asBoolean()) schema = null;
      if (value != null) out.put("javaClass", value.getClass().getName());
      if (value != null && cls.equals("StringConverter")) out.put("text", value.toString());
      byte[] bytes;
      try {
        bytes = write(conv, mode, schema, value);
      } catch (RuntimeException e) {
        out.put("stage", "write");
        out.set("error", error(e));
        return;
      }
      if (bytes == null) out.putNull("out");
      else out.put("out", HEX.formatHex(bytes));
      // A byte array prints as [B@<identity hash>, which changes from run to run: also give the bytes of the text
      // with the hash replaced by '*', written by the same converter, so the test can compare everything else.
      if (value != null && cls.equals("StringConverter") && value.toString().contains("[B@")) {
        byte[] normalized = write(conv, mode, null, value.toString().replaceAll("\\[B@[0-9a-f]+", "[B@*"));
        out.put("outNormalized", HEX.formatHex(normalized));
      }
      if (bytes != null) {
        try {
          out.set("readBack", describe(read(conv, mode, bytes).value()));
        } catch (RuntimeException e) {
          out.set("readBackError", error(e));
        }
      }
      return;
    }
    if (op.equals("read")) {
      byte[] in = c.get("in").isNull() ? null : HEX.parseHex(c.get("in").asText());
      try {
        SchemaAndValue sv = read(conv, mode, in);
        out.put("schema", sv.schema().type().getName() + (sv.schema().isOptional() ? "?" : ""));
        out.set("value", describe(sv.value()));
      } catch (RuntimeException e) {
        out.put("stage", "read");
        out.set("error", error(e));
      }
      return;
    }
    throw new IllegalArgumentException(op);
  }

  public static void main(String[] args) throws Exception {
    MAPPER.getFactory().configure(com.fasterxml.jackson.core.json.JsonWriteFeature.ESCAPE_NON_ASCII.mappedFeature(), true);
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null;) {
      if (line.isBlank()) continue;
      JsonNode c = MAPPER.readTree(line);
      ObjectNode out = MAPPER.createObjectNode();
      out.set("case", c);
      ObjectNode expected = MAPPER.createObjectNode();
      run(c, expected);
      out.set("expected", expected);
      System.out.println(MAPPER.writeValueAsString(out));
    }
  }
}
