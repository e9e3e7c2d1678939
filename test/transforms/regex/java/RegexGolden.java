// Golden-output generator for Java regular expressions: reads one JSON case per line on stdin ({pattern,
// replacement, inputs}) and prints it back with an "expected" member holding what java.util.regex.Pattern and the
// real RegexRouter and TopicNameMatches of Apache Kafka 4.3.1 do with it. Driven by ../generate-golden.mjs.
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.transforms.RegexRouter;
import org.apache.kafka.connect.transforms.predicates.TopicNameMatches;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

public class RegexGolden {
  // Non-ASCII is written as JSON escapes, so that lone surrogates in inputs survive the trip.
  static final ObjectMapper M = new ObjectMapper().configure(com.fasterxml.jackson.core.JsonGenerator.Feature.ESCAPE_NON_ASCII, true);

  public static void main(String[] args) throws Exception {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      if (line.isBlank()) continue;
      ObjectNode c = (ObjectNode) M.readTree(line);
      c.set("expected", run(c));
      System.out.println(M.writeValueAsString(c));
    }
  }

  static JsonNode run(ObjectNode c) {
    ObjectNode out = M.createObjectNode();
    String pattern = c.get("pattern").asText();
    String replacement = c.has("replacement") ? c.get("replacement").asText() : "<$0>";
    Pattern p;
    try {
      p = Pattern.compile(pattern);
    } catch (PatternSyntaxException e) {
      out.put("compiles", false);
      out.put("error", e.getMessage());
    }
    // The plugins' own view: RegexRouter's and TopicNameMatches' config errors (ConfigDef trims the value).
    RegexRouter<SourceRecord> router = new RegexRouter<>();
    TopicNameMatches<SourceRecord> predicate = new TopicNameMatches<>();
    boolean configured = true;
    try {
      router.configure(Map.of("regex", pattern, "replacement", replacement));
    } catch (Exception e) {
      out.put("routerError", e.getMessage());
      configured = false;
    }
    try {
      predicate.configure(Map.of("pattern", pattern));
    } catch (Exception e) {
      out.put("predicateError", e.getMessage());
      configured = false;
    }
    if (!configured) return out;
    p = Pattern.compile(pattern.trim());
    out.put("compiles", true);
    out.put("groupCount", p.matcher("").groupCount());
    ArrayNode results = out.putArray("results");
    for (JsonNode i : c.get("inputs")) {
      String input = i.asText();
      ObjectNode r = results.addObject();
      Matcher m = p.matcher(input);
      boolean matches = m.matches();
      r.put("matches", matches);
      if (matches) {
        ArrayNode groups = r.putArray("groups");
        for (int g = 0; g <= m.groupCount(); g++) groups.add(m.group(g));
      }
      r.put("predicate", predicate.test(new SourceRecord(null, null, input, null, null, null, null)));
      try {
        SourceRecord routed = router.apply(new SourceRecord(null, null, input, null, null, null, null));
        r.put("routed", routed.topic());
      } catch (Exception e) {
        r.put("routeError", e.getClass().getSimpleName() + ": " + e.getMessage());
      }
    }
    return out;
  }
}
