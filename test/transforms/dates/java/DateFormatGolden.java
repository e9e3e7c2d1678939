// Golden-output generator for Java date patterns: reads one JSON case per line on stdin and prints it back with an
// "expected" member computed by the JDK's java.text.SimpleDateFormat (built as TimestampConverter and TimestampRouter
// build it: new SimpleDateFormat(pattern), time zone UTC, default locale en_US) or by the real Apache SMT classes.
// Driven by ../generate-golden.mjs.
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.transforms.Transformation;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.text.SimpleDateFormat;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TimeZone;

public class DateFormatGolden {
  static final ObjectMapper M = new ObjectMapper();
  static final JsonConverter CONV = new JsonConverter();

  public static void main(String[] args) throws Exception {
    CONV.configure(Map.of("schemas.enable", "true"), false);
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      if (line.isBlank()) continue;
      ObjectNode c = (ObjectNode) M.readTree(line);
      c.set("expected", run(c));
      System.out.println(M.writeValueAsString(c));
    }
  }

  static SimpleDateFormat utc(String pattern) {
    SimpleDateFormat f = new SimpleDateFormat(pattern);
    f.setTimeZone(TimeZone.getTimeZone("UTC"));
    return f;
  }

  static JsonNode run(ObjectNode c) throws Exception {
    String kind = c.get("kind").asText();
    ObjectNode out = M.createObjectNode();
    if (kind.equals("format") || kind.equals("parse")) {
      SimpleDateFormat f;
      try {
        f = utc(c.get("pattern").asText());
      } catch (Throwable t) {
        return error("compile", t);
      }
      if (kind.equals("format")) {
        out.put("text", f.format(new Date(c.get("millis").asLong())));
        return out;
      }
      try {
        Date d = f.parse(c.get("text").asText());
        out.put("millis", String.valueOf(d.getTime()));
        // A zone name other than the formatter's own switches its time zone (seen in later formats).
        if (!f.getTimeZone().getID().equals("UTC")) out.put("zone", f.getTimeZone().getID());
      } catch (ParseException e) {
        ObjectNode err = error("parse", e);
        ((ObjectNode) err.get("error")).put("errorOffset", e.getErrorOffset());
        return err;
      }
      return out;
    }
    // kind == "smt": one record through the real TimestampConverter / TimestampRouter.
    Transformation<SourceRecord> t = (Transformation<SourceRecord>) Class.forName(c.get("class").asText()).getDeclaredConstructor().newInstance();
    Map<String, String> config = new LinkedHashMap<>();
    c.get("config").fields().forEachRemaining(e -> config.put(e.getKey(), e.getValue().asText()));
    try {
      t.configure(config);
    } catch (Throwable e) {
      return error("configure", e);
    }
    SchemaAndValue value = c.has("value") ? CONV.toConnectData("t", M.writeValueAsBytes(c.get("value"))) : SchemaAndValue.NULL;
    Long ts = c.has("timestamp") ? c.get("timestamp").asLong() : null;
    SourceRecord r = new SourceRecord(null, null, "orders", 0, null, null, value.schema(), value.value(), ts);
    try {
      SourceRecord o = t.apply(r);
      out.put("topic", o.topic());
      out.set("value", M.readTree(CONV.fromConnectData("t", o.valueSchema(), o.value())));
    } catch (Throwable e) {
      return error("apply", e);
    }
    return out;
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
}
