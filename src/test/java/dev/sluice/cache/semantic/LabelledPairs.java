package dev.sluice.cache.semantic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.wire.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The labelled evaluation set in src/test/resources/semantic/pairs.jsonl. */
public record LabelledPairs(List<Pair> pairs) {
    public static final String RESOURCE = "/semantic/pairs.jsonl";

    /** One pair: two newest-user texts, and the earlier context each was asked in (same unless the code changed). */
    public record Pair(String id, String category, boolean same, String a, String b, String contextA, String contextB) {
        public boolean sameContext() {
            return contextA.equals(contextB);
        }
    }

    public static LabelledPairs load() {
        List<Pair> pairs = new ArrayList<>();
        try (InputStream in = LabelledPairs.class.getResourceAsStream(RESOURCE);
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode n = Json.MAPPER.readTree(line);
                pairs.add(new Pair(n.get("id").asText(), n.get("category").asText(), n.get("same").asBoolean(),
                        n.get("a").asText(), n.get("b").asText(),
                        n.path("context_a").asText(""), n.path("context_b").asText("")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new LabelledPairs(List.copyOf(pairs));
    }
}
