package dev.lacquer.benchmark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a run found: one table row per figure (value, target, met) for the Markdown file, plus every detail
 * (histograms, samples, parameters) per scenario for the JSON file.
 */
public final class Results {

    /** One line of the table. {@code met} is null when the figure has no target. */
    public record Row(String scenario, String figure, String value, String target, Boolean met) {
    }

    private final List<Row> rows = new ArrayList<>();
    private final Map<String, Object> meta = new LinkedHashMap<>();
    private final Map<String, Map<String, Object>> details = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();
    private final List<Map<String, Object>> shares = new ArrayList<>();

    public synchronized void row(String scenario, String figure, String value) {
        rows.add(new Row(scenario, figure, value, "", null));
    }

    public synchronized void row(String scenario, String figure, String value, String target, boolean met) {
        rows.add(new Row(scenario, figure, value, target, met));
    }

    public synchronized void detail(String scenario, String key, Object value) {
        details.computeIfAbsent(scenario, s -> new LinkedHashMap<>()).put(key, value);
    }

    public synchronized void meta(String key, Object value) {
        meta.put(key, value);
    }

    /** How much of the machine one scenario had: its own processes vs other work on the same cores. */
    public synchronized void machineShare(String scenario, String title, double seconds, String loadBefore,
                                          String loadAfter, double oursShare, double othersShare) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("scenario", scenario);
        line.put("title", title);
        line.put("seconds", Math.round(seconds));
        line.put("load_before", loadBefore);
        line.put("load_after", loadAfter);
        line.put("cpu_share_this_run", Double.isNaN(oursShare) ? null : Math.round(oursShare * 1000) / 1000.0);
        line.put("cpu_share_other_work", Double.isNaN(othersShare) ? null : Math.round(othersShare * 1000) / 1000.0);
        shares.add(line);
    }

    public synchronized void note(String note) {
        notes.add(note);
    }

    public synchronized List<Row> rows() {
        return List.copyOf(rows);
    }

    public synchronized void writeJson(Path file) throws IOException {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("meta", meta);
        List<Map<String, Object>> table = new ArrayList<>();
        for (Row row : rows) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("scenario", row.scenario());
            line.put("figure", row.figure());
            line.put("value", row.value());
            line.put("target", row.target());
            line.put("met", row.met());
            table.add(line);
        }
        all.put("table", table);
        all.put("machine_share", shares);
        all.put("details", details);
        all.put("notes", notes);
        Files.createDirectories(file.getParent());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), all);
    }

    public synchronized String markdownTable() {
        StringBuilder md = new StringBuilder();
        md.append("| scenario | figure | result | target | met |\n|---|---|---|---|---|\n");
        for (Row row : rows) {
            md.append("| ").append(cell(row.scenario())).append(" | ").append(cell(row.figure())).append(" | ")
                    .append(cell(row.value())).append(" | ").append(cell(row.target())).append(" | ")
                    .append(row.met() == null ? "" : row.met() ? "yes" : "**no**").append(" |\n");
        }
        return md.toString();
    }

    public synchronized void writeMarkdown(Path file, String title) throws IOException {
        StringBuilder md = new StringBuilder("# ").append(title).append("\n\n");
        for (Map.Entry<String, Object> entry : meta.entrySet()) {
            if (entry.getValue() instanceof Map || entry.getValue() instanceof List) {
                continue;
            }
            md.append("- **").append(entry.getKey()).append("**: ").append(entry.getValue()).append('\n');
        }
        md.append('\n').append(markdownTable());
        if (!shares.isEmpty()) {
            md.append("\nThe machine during each scenario (CPU share of all cores; \"other work\" is every process not "
                    + "started by this run, e.g. other builds and tests on the same machine):\n\n");
            md.append(machineShareTable());
        }
        if (!notes.isEmpty()) {
            md.append("\nNotes:\n\n");
            for (String note : notes) {
                md.append("- ").append(note).append('\n');
            }
        }
        md.append("\nEvery figure with its histogram and parameters: the `.json` file beside this one.\n");
        Files.createDirectories(file.getParent());
        Files.writeString(file, md.toString());
    }

    private static String percent(Object share) {
        return share == null ? "n/a (a server was restarted)" : Math.round((Double) share * 100) + " %";
    }

    public synchronized String machineShareTable() {
        StringBuilder md = new StringBuilder("| scenario | seconds | load average before → after | CPU: this run | "
                + "CPU: other work |\n|---|---|---|---|---|\n");
        for (Map<String, Object> line : shares) {
            md.append("| ").append(line.get("scenario")).append(' ').append(line.get("title")).append(" | ")
                    .append(line.get("seconds")).append(" | ").append(line.get("load_before")).append(" → ")
                    .append(line.get("load_after")).append(" | ")
                    .append(percent(line.get("cpu_share_this_run"))).append(" | ")
                    .append(percent(line.get("cpu_share_other_work"))).append(" |\n");
        }
        return md.toString();
    }

    private static String cell(String text) {
        return text == null ? "" : text.replace("|", "\\|").replace("\n", " ");
    }
}
