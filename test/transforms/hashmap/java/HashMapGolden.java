// Golden-output generator for key order and the smaller fidelity cases (HashMap iteration order, JsonConverter maps,
// schemaless SMT chains, MaskField replacements, config validation): reads one JSON case per line on stdin, runs the
// real JDK / Apache 4.3.1 classes and prints the case back with an "expected" member. Driven by ../generate-golden.mjs.
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.transforms.Transformation;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

public class HashMapGolden {
  static final ObjectMapper M = new ObjectMapper();

  public static void main(String[] args) throws Exception {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      if (line.isBlank()) continue;
      ObjectNode c = (ObjectNode) M.readTree(line);
      ObjectNode expected;
      try {
        switch (c.get("kind").asText()) {
          case "order": expected = order(c); break;
          case "json": expected = json(c); break;
          case "smt": expected = smt(c); break;
          case "validate": expected = validate(c); break;
          default: throw new IllegalArgumentException("unknown kind in " + c.get("name"));
        }
      } catch (Throwable t) {
        expected = error("run", t);
      }
      c.set("expected", expected);
      System.out.println(M.writeValueAsString(c));
    }
  }

  static ObjectNode error(String stage, Throwable t) {
    ObjectNode e = M.createObjectNode();
    e.put("stage", stage);
    e.put("class", t.getClass().getName());
    e.put("message", t.getMessage());
    ObjectNode out = M.createObjectNode();
    out.set("error", e);
    return out;
  }

  static Object key(String type, JsonNode n) {
    switch (type) {
      case "string": return n.asText();
      case "int": return n.asInt();
      case "long": return n.asLong();
      case "double": return n.isTextual() ? Double.valueOf(n.asText()) : n.asDouble();
      case "float": return n.isTextual() ? Float.valueOf(n.asText()) : (float) n.asDouble();
      default: throw new IllegalArgumentException(type);
    }
  }

  // The iteration order of a HashMap filled with these keys in this order: new HashMap<>(), new HashMap<>(n), or the
  // copy constructor over a LinkedHashMap holding them in this order.
  static ObjectNode order(ObjectNode c) {
    String type = c.get("keyType").asText();
    String creation = c.get("creation").asText();
    Map<Object, Integer> source = new LinkedHashMap<>();
    int i = 0;
    for (JsonNode k : c.get("keys")) source.put(key(type, k), i++);
    Map<Object, Integer> map;
    if (creation.equals("copy")) {
      map = new HashMap<>(source);
    } else {
      map = creation.equals("default") ? new HashMap<>() : new HashMap<>(c.get("capacity").asInt());
      for (Map.Entry<Object, Integer> e : source.entrySet()) map.put(e.getKey(), e.getValue());
    }
    ArrayNode order = M.createArrayNode();
    for (Integer index : map.values()) order.add(index);
    ObjectNode out = M.createObjectNode();
    out.set("order", order);
    return out;
  }

  static JsonConverter converter(JsonNode config, boolean isKey) {
    JsonConverter conv = new JsonConverter();
    Map<String, String> conf = new HashMap<>();
    if (config != null) config.fields().forEachRemaining(e -> conf.put(e.getKey(), e.getValue().asText()));
    conv.configure(conf, isKey);
    return conv;
  }

  static byte[] bytes(JsonNode c, String text, String base64) {
    if (c.has(base64)) return java.util.Base64.getDecoder().decode(c.get(base64).asText());
    return c.get(text).asText().getBytes(StandardCharsets.UTF_8);
  }

  // Reads the bytes with JsonConverter, writes the value back with the schema it read, and renders it as
  // FileStreamSink does (String.valueOf).
  static ObjectNode json(ObjectNode c) {
    JsonConverter conv = converter(c.get("config"), false);
    ObjectNode out = M.createObjectNode();
    SchemaAndValue sv;
    try {
      sv = conv.toConnectData("t", bytes(c, "input", "inputBase64"));
    } catch (Throwable t) {
      return error("read", t);
    }
    out.put("text", String.valueOf(sv.value()));
    try {
      out.put("output", new String(conv.fromConnectData("t", sv.schema(), sv.value()), StandardCharsets.UTF_8));
    } catch (Throwable t) {
      out.set("writeError", error("write", t).get("error"));
    }
    return out;
  }

  // A schemaless source record (key and value read by JsonConverter with schemas.enable=false) through a chain of
  // SMTs; the outputs are written back by the same converter and rendered with String.valueOf.
  @SuppressWarnings({"unchecked", "rawtypes"})
  static ObjectNode smt(ObjectNode c) throws Exception {
    JsonConverter conv = converter(M.readTree(c.path("schemas").asBoolean(false) ? "{\"schemas.enable\":\"true\"}" : "{\"schemas.enable\":\"false\"}"), false);
    SchemaAndValue key = c.hasNonNull("key") ? conv.toConnectData("t", c.get("key").asText().getBytes(StandardCharsets.UTF_8)) : SchemaAndValue.NULL;
    SchemaAndValue value = c.hasNonNull("value") ? conv.toConnectData("t", c.get("value").asText().getBytes(StandardCharsets.UTF_8)) : SchemaAndValue.NULL;
    ConnectHeaders headers = new ConnectHeaders();
    if (c.has("headers")) {
      for (JsonNode h : c.get("headers")) {
        SchemaAndValue hv = conv.toConnectData("t", h.get("value").asText().getBytes(StandardCharsets.UTF_8));
        headers.add(h.get("key").asText(), hv.value(), hv.schema());
      }
    }
    ConnectRecord record = new SourceRecord(null, null, "t", 0, key.schema(), key.value(), value.schema(), value.value(), 0L, headers);
    int step = 0;
    for (JsonNode s : c.get("chain")) {
      Transformation t = (Transformation) Class.forName("org.apache.kafka.connect.transforms." + s.get("class").asText()).getDeclaredConstructor().newInstance();
      Map<String, String> config = new LinkedHashMap<>();
      s.get("config").fields().forEachRemaining(e -> config.put(e.getKey(), e.getValue().asText()));
      try {
        t.configure(config);
      } catch (Throwable e) {
        ObjectNode err = error("configure", e);
        ((ObjectNode) err.get("error")).put("step", step);
        return err;
      }
      try {
        record = t.apply(record);
      } catch (Throwable e) {
        ObjectNode err = error("apply", e);
        ((ObjectNode) err.get("error")).put("step", step);
        return err;
      }
      step++;
    }
    ObjectNode out = M.createObjectNode();
    out.set("key", side(conv, record.keySchema(), record.key()));
    out.set("value", side(conv, record.valueSchema(), record.value()));
    ArrayNode hs = out.putArray("headers");
    for (Header h : (Iterable<Header>) record.headers()) {
      ObjectNode hn = hs.addObject();
      hn.put("key", h.key());
      hn.set("value", side(conv, h.schema(), h.value()));
    }
    return out;
  }

  // A transformation's config checked as the herder checks a connector's: validate() on its own ConfigDef, and
  // parse() of the ConfigDef embedded under a transforms.<alias>. prefix (ConnectorConfig's enrichment).
  static ObjectNode validate(ObjectNode c) throws Exception {
    Transformation t = (Transformation) Class.forName("org.apache.kafka.connect.transforms." + c.get("class").asText()).getDeclaredConstructor().newInstance();
    Map<String, String> config = new LinkedHashMap<>();
    Map<String, String> prefixed = new LinkedHashMap<>();
    c.get("config").fields().forEachRemaining(e -> { config.put(e.getKey(), e.getValue().asText()); prefixed.put("transforms.x." + e.getKey(), e.getValue().asText()); });
    ObjectNode out = M.createObjectNode();
    ObjectNode errors = out.putObject("errors");
    for (org.apache.kafka.common.config.ConfigValue v : t.config().validate(config)) {
      if (v.errorMessages().isEmpty()) continue;
      ArrayNode a = errors.putArray(v.name());
      for (String m : v.errorMessages()) a.add(m);
    }
    org.apache.kafka.common.config.ConfigDef embedded = new org.apache.kafka.common.config.ConfigDef();
    embedded.embed("transforms.x.", "Transforms: x", 0, t.config());
    try {
      embedded.parse(prefixed);
      out.putNull("embeddedParse");
    } catch (Throwable e) {
      out.put("embeddedParse", e.getMessage());
    }
    return out;
  }

  static ObjectNode side(JsonConverter conv, org.apache.kafka.connect.data.Schema schema, Object value) {
    ObjectNode n = M.createObjectNode();
    n.put("text", String.valueOf(value));
    if (value != null) n.put("class", value.getClass().getName());
    try {
      byte[] b = conv.fromConnectData("t", schema, value);
      if (b == null) n.putNull("json"); else n.put("json", new String(b, StandardCharsets.UTF_8));
    } catch (Throwable t) {
      n.put("jsonError", t.getClass().getName() + ": " + t.getMessage());
    }
    return n;
  }
}
