// Prints the time zone names java.text.SimpleDateFormat recognises when parsing in en_US (DateFormatSymbols'
// zone strings: long and short, standard and daylight), one JSON string array, sorted. ../generate-golden.mjs writes
// them to src/transforms/util/java-zone-names.ts.
import java.text.DateFormatSymbols;
import java.util.Locale;
import java.util.TreeSet;

public class ZoneNames {
  public static void main(String[] args) {
    TreeSet<String> names = new TreeSet<>();
    for (String[] zone : DateFormatSymbols.getInstance(Locale.US).getZoneStrings()) {
      for (int i = 1; i <= 4 && i < zone.length; i++) if (zone[i] != null && !zone[i].isEmpty()) names.add(zone[i]);
    }
    StringBuilder out = new StringBuilder("[");
    for (String n : names) {
      if (out.length() > 1) out.append(',');
      out.append('"').append(n.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
    }
    System.out.println(out.append(']'));
  }
}
