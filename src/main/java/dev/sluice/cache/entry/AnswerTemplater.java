package dev.sluice.cache.entry;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.cache.key.Bindings;
import dev.sluice.cache.key.PathTemplates;
import dev.sluice.cache.key.Placeholder;
import dev.sluice.wire.Json;
import dev.sluice.wire.SseEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns a captured answer into a stored one: the developer's paths become placeholders, so the answer
 * can be replayed to another developer with their own paths; if that cannot be done with certainty,
 * the answer is pinned to the developer's values instead (served only to requests carrying them).
 *
 * <p>How a streamed answer is templated:
 * <ol>
 *   <li>Each content block's pieces ({@code text}, {@code partial_json}, {@code thinking}) are joined
 *       and searched, decoded, with the keyer's own matcher ({@link PathTemplates}).</li>
 *   <li>A path cut across delta events (the API streams text and tool input in small pieces) makes
 *       those deltas one event, written anew; every other event keeps its exact bytes.</li>
 *   <li>The same matcher then runs on each event's raw bytes and writes placeholders there. Paths
 *       have no characters JSON escapes, so a path reads the same at any nesting depth (inside
 *       {@code partial_json}'s JSON-in-a-string too); if the raw count still differs from the decoded
 *       count, the answer is pinned.</li>
 *   <li>Pinned as well: a path inside thinking (its signature covers the text, so it must not
 *       change), and any word that names the developer left after the paths went (their user name,
 *       git user, the date): such an answer depends on who asked.</li>
 * </ol>
 */
public final class AnswerTemplater {

    /**
     * @param payload   bytes to store (placeholders marked with {@link CacheEntry#MARK})
     * @param eventEnds event end offsets (stream form)
     * @param pins      values the entry is pinned to (empty when it is shared)
     * @param pinReason why it was pinned, or null
     */
    public record Templated(byte[] payload, int[] eventEnds, Map<Placeholder, String> pins, String pinReason) {
    }

    private AnswerTemplater() {
    }

    public static Templated stream(List<SseEvent> events, Bindings bindings) {
        List<byte[]> raws = new ArrayList<>(events.size());
        for (SseEvent e : events) {
            raws.add(e.raw());
        }
        if (bindings.isEmpty()) {
            return concat(raws, Map.of(), null);
        }
        PathTemplates templates = PathTemplates.of(bindings);
        IdentityTokens.Names identity = IdentityTokens.of(bindings);
        TreeMap<Integer, Block> blocks = new TreeMap<>();
        for (int i = 0; i < events.size(); i++) {
            Delta d = Delta.of(events.get(i));
            if (d != null && d.carriesContent()) {
                blocks.computeIfAbsent(d.index(), k -> new Block()).add(i, d);
            }
        }
        int decoded = 0;
        boolean[] mergedAway = new boolean[raws.size()];
        for (Block b : blocks.values()) {
            byte[] text = b.text();
            List<PathTemplates.Match> matches = templates.matches(text, 0, text.length);
            if (b.thinking && !matches.isEmpty()) {
                return pinned(raws, bindings, "a path inside thinking (its signature covers the text)");
            }
            String word = identity.firstIn(withoutMatches(text, matches));
            if (word != null) {
                return pinned(raws, bindings, "the answer names the developer ('" + word + "')");
            }
            decoded += matches.size();
            for (PathTemplates.Match m : matches) {
                int first = b.pieceAt(m.offset());
                int last = b.pieceAt(m.end() - 1);
                if (first != last) {
                    b.merge(first, last, raws, mergedAway);
                }
            }
        }
        List<byte[]> kept = new ArrayList<>(raws.size());
        int raw = 0;
        for (int i = 0; i < raws.size(); i++) {
            if (mergedAway[i]) {
                continue;
            }
            byte[] bytes = raws.get(i);
            List<PathTemplates.Match> matches = templates.matches(bytes, 0, bytes.length);
            raw += matches.size();
            kept.add(matches.isEmpty() ? bytes : mark(bytes, matches));
        }
        if (raw != decoded) {
            return pinned(raws, bindings, "a path the raw bytes spell differently (" + raw + " raw, " + decoded + " decoded)");
        }
        return concat(kept, Map.of(), null);
    }

    public static Templated message(byte[] body, Bindings bindings) {
        if (bindings.isEmpty()) {
            return new Templated(body, new int[0], Map.of(), null);
        }
        PathTemplates templates = PathTemplates.of(bindings);
        IdentityTokens.Names identity = IdentityTokens.of(bindings);
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            return new Templated(body, new int[0], pinsOf(bindings), "unreadable body");
        }
        int decoded = 0;
        for (JsonNode block : root.path("content")) {
            boolean thinking = block.path("type").asText().equals("thinking");
            List<String> strings = new ArrayList<>();
            AnswerText.strings(block, strings);
            for (String s : strings) {
                byte[] text = s.getBytes(UTF_8);
                List<PathTemplates.Match> matches = templates.matches(text, 0, text.length);
                if (thinking && !matches.isEmpty()) {
                    return new Templated(body, new int[0], pinsOf(bindings), "a path inside thinking");
                }
                if (identity.firstIn(withoutMatches(text, matches)) != null) {
                    return new Templated(body, new int[0], pinsOf(bindings), "the answer names the developer");
                }
                decoded += matches.size();
            }
        }
        List<PathTemplates.Match> raw = templates.matches(body, 0, body.length);
        if (raw.size() != decoded) {
            return new Templated(body, new int[0], pinsOf(bindings), "a path the raw bytes spell differently");
        }
        return new Templated(raw.isEmpty() ? body : mark(body, raw), new int[0], Map.of(), null);
    }

    /** The bytes with each match's placeholder parts replaced by {@code MARK id}. */
    static byte[] mark(byte[] src, List<PathTemplates.Match> matches) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(src.length);
        int at = 0;
        for (PathTemplates.Match m : matches) {
            PathTemplates.Template t = m.template();
            for (int part = 0; part < t.parts().length; part++) {
                int s = m.offset() + t.partOffsets()[part];
                out.write(src, at, s - at);
                out.write(CacheEntry.MARK);
                out.write(t.parts()[part].id());
                at = s + t.partLengths()[part];
            }
        }
        out.write(src, at, src.length - at);
        return out.toByteArray();
    }

    private static String withoutMatches(byte[] text, List<PathTemplates.Match> matches) {
        if (matches.isEmpty()) {
            return new String(text, UTF_8);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length);
        int at = 0;
        for (PathTemplates.Match m : matches) {
            out.write(text, at, m.offset() - at);
            out.write(' ');
            at = m.end();
        }
        out.write(text, at, text.length - at);
        return out.toString(UTF_8);
    }

    private static Templated pinned(List<byte[]> raws, Bindings bindings, String why) {
        return concat(raws, pinsOf(bindings), why);
    }

    static Map<Placeholder, String> pinsOf(Bindings bindings) {
        return new EnumMap<>(bindings.asMap());
    }

    private static Templated concat(List<byte[]> raws, Map<Placeholder, String> pins, String why) {
        int n = 0;
        for (byte[] r : raws) {
            n += r.length;
        }
        byte[] payload = new byte[n];
        int[] ends = new int[raws.size()];
        int at = 0;
        for (int i = 0; i < raws.size(); i++) {
            byte[] r = raws.get(i);
            System.arraycopy(r, 0, payload, at, r.length);
            at += r.length;
            ends[i] = at;
        }
        return new Templated(payload, ends, pins, why);
    }

    /** The content deltas of one block, in order. */
    private static final class Block {
        final List<Integer> events = new ArrayList<>();
        final List<Delta> deltas = new ArrayList<>();
        final List<Integer> ends = new ArrayList<>();
        boolean thinking;
        private final ByteArrayOutputStream text = new ByteArrayOutputStream();

        void add(int event, Delta d) {
            events.add(event);
            deltas.add(d);
            thinking |= d.thinking();
            text.writeBytes(d.piece().getBytes(UTF_8));
            ends.add(text.size());
        }

        byte[] text() {
            return text.toByteArray();
        }

        /** Index (in this block) of the piece holding byte {@code offset} of the joined text. */
        int pieceAt(int offset) {
            for (int k = 0; k < ends.size(); k++) {
                if (offset < ends.get(k)) {
                    return k;
                }
            }
            return ends.size() - 1;
        }

        /** Makes pieces {@code first..last} one delta event in place of the first; the others are dropped. */
        void merge(int first, int last, List<byte[]> raws, boolean[] mergedAway) {
            int a = first;
            while (a > 0 && mergedAway[events.get(a)]) {
                a--; // already part of an earlier merge: extend that one
            }
            StringBuilder piece = new StringBuilder();
            for (int k = a; k <= last; k++) {
                piece.append(deltas.get(k).piece());
                if (k > a) {
                    mergedAway[events.get(k)] = true;
                }
            }
            Delta d = deltas.get(a);
            raws.set(events.get(a), deltaEvent(d.index(), d.type(), d.field(), piece.toString()));
        }
    }

    static byte[] deltaEvent(int index, String type, String field, String piece) {
        return SseEvent.contentDelta(index, type, field, piece).raw();
    }
}
