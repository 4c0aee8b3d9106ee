package dev.sluice.cache.normalise;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

import dev.sluice.cache.entry.IdentityTokens;
import dev.sluice.cache.key.ByteSearch;
import dev.sluice.cache.key.PathTemplates;
import dev.sluice.cache.key.RequestKey;
import dev.sluice.pipeline.RequestBody;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Swaps one developer's values in a forwarded body for the team's {@link StandIns}, as {@link RequestBody} edits, so
 * the provider's prompt cache sees the same prefix from every developer; and Claude Code's billing-header block gets
 * a team-constant per-prompt part ({@link #BILLING_SUFFIX}).
 *
 * <p>It is all or nothing, under the certainty rule of the workspace-relative key: a request is normalised only when
 * <ul>
 *   <li>no stand-in already occurs in it where the answer side would map it back to the developer's value (that
 *       would catch text that was never a stand-in; one the answer side leaves alone, {@code x/workspace/calc}, is
 *       harmless, and is what an earlier answer's unmapped stand-in looks like on the next turn),</li>
 *   <li>every developer value is escape-free (swapped the same in raw JSON and in decoded answer text),</li>
 *   <li>once the paths (the keyer's own matcher, {@link PathTemplates}) and the {@code Git user:} value are swapped,
 *       no word naming the developer is left ({@link LeftoverNames}: their user name from the home path, their git
 *       user, the project slug), and</li>
 *   <li>no other stage has edited the same bytes.</li>
 * </ul>
 * Otherwise the body is forwarded as it is and the outcome says why. The date is the team's too and is kept.
 *
 * <p>A git user that is a full name ({@code Alice Example}, with a space) is swapped wherever it stands as whole
 * words, as the answer side maps {@code Team Developer} back wherever it stands: so an answer that names the
 * developer comes back on the next turn as the provider wrote it. A one-word git user ({@code dev}, {@code alice})
 * is swapped only at its {@code Git user:} line, since swapping such a word throughout code and prose would change
 * what the model reads; anywhere else it makes the request {@code identity-left}.
 */
public final class UpstreamNormaliser {
    /** The billing header's per-prompt part, after {@code cc_version=<version>.}, as the team sends it. */
    public static final String BILLING_SUFFIX = "000";

    private static final byte[] BILLING = "x-anthropic-billing-header:".getBytes(US_ASCII);
    private static final byte[] CC_VERSION = "cc_version=".getBytes(US_ASCII);
    private static final byte[] GIT_USER_LINE = "Git user: ".getBytes(US_ASCII);
    private static final byte[] SPACE = {' '};
    private static final String REASON = "cache: normalise upstream";

    /**
     * What was done.
     *
     * @param outcome  normalised, or why not
     * @param standIns the pairs swapped (to map the answer back), or null when not normalised
     * @param swaps    how many places changed
     */
    public record Result(Outcome outcome, StandIns standIns, int swaps) {
        static Result not(Outcome why) {
            return new Result(why, null, 0);
        }

        public boolean normalised() {
            return outcome == Outcome.NORMALISED;
        }
    }

    private record Swap(int start, int end, byte[] bytes) {
    }

    private UpstreamNormaliser() {
    }

    /** Normalises {@code body}, whose key pass found {@code key}, or leaves it untouched and says why. */
    public static Result apply(RequestBody body, RequestKey key) {
        if (key == null || !key.cacheable()) {
            return Result.not(Outcome.UNKEYED);
        }
        byte[] src = body.array();
        int len = body.length();
        StandIns standIns = StandIns.of(key.bindings());
        Swap billing = billingSuffix(src, key.sections());
        if (standIns.isEmpty() && billing == null) {
            return Result.not(Outcome.NOTHING_FOUND);
        }
        if (standIns.needsEscaping()) {
            return Result.not(Outcome.NEEDS_ESCAPING);
        }
        if (holdsStandIn(src, len, standIns) && new TextRestorer(standIns).wouldChange(src, len)) {
            return Result.not(Outcome.STAND_IN_PRESENT);
        }
        List<Swap> swaps = swaps(src, len, standIns, key);
        if (billing != null) {
            swaps.add(billing);
        }
        swaps.sort(Comparator.comparingInt(Swap::start));
        if (identityLeft(src, len, standIns, swaps)) {
            return Result.not(Outcome.IDENTITY_LEFT);
        }
        List<Swap> edits = withinStrings(src, swaps, body.edits());
        if (conflicts(body.edits(), edits)) {
            return Result.not(Outcome.EDIT_CONFLICT);
        }
        for (Swap s : edits) {
            body.replace(s.start(), s.end(), s.bytes(), REASON);
        }
        return new Result(Outcome.NORMALISED, standIns, swaps.size());
    }

    /**
     * The swaps as body edits, one per run of swaps inside one JSON string: a tool result can name the workspace
     * thousands of times, and as many edits would cost {@link RequestBody} quadratic time to keep in order. An edit
     * never spans a quote, so it stays inside string content, where no later stage edits (they edit members, the
     * model, markers), nor an earlier stage's edit (a guard redaction between two paths stays its own).
     */
    private static List<Swap> withinStrings(byte[] src, List<Swap> swaps, List<RequestBody.Edit> earlier) {
        List<Swap> out = new ArrayList<>();
        int i = 0;
        while (i < swaps.size()) {
            Swap first = swaps.get(i);
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            bytes.writeBytes(first.bytes());
            int end = first.end();
            int j = i + 1;
            for (; j < swaps.size() && noQuote(src, end, swaps.get(j).start())
                    && untouched(earlier, end, swaps.get(j).start()); j++) {
                bytes.write(src, end, swaps.get(j).start() - end);
                bytes.writeBytes(swaps.get(j).bytes());
                end = swaps.get(j).end();
            }
            out.add(j == i + 1 ? first : new Swap(first.start(), end, bytes.toByteArray()));
            i = j;
        }
        return out;
    }

    private static boolean untouched(List<RequestBody.Edit> edits, int from, int to) {
        for (RequestBody.Edit e : edits) {
            if (e.start() <= to && from <= e.end()) {
                return false;
            }
        }
        return true;
    }

    private static boolean noQuote(byte[] src, int from, int to) {
        for (int k = from; k < to; k++) {
            if (src[k] == '"') {
                return false;
            }
        }
        return true;
    }

    /** Every path match (the keyer's rule) and the {@code Git user:} value, in body order, without overlaps. */
    private static List<Swap> swaps(byte[] src, int len, StandIns standIns, RequestKey key) {
        List<Swap> out = new ArrayList<>();
        int covered = 0;
        for (PathTemplates.Match m : PathTemplates.of(key.bindings()).matches(src, 0, len)) {
            byte[] standIn = standIns.standInForPath(m.template().bytes());
            if (standIn != null && m.offset() >= covered) {
                out.add(new Swap(m.offset(), m.end(), standIn));
                covered = m.end();
            }
        }
        StandIns.Pair name = standIns.name();
        if (name == null) {
            return out;
        }
        List<Swap> paths = List.copyOf(out);
        byte[] own = name.own();
        boolean fullName = indexOf(own, 0, own.length, SPACE) >= 0;
        for (int at = find(src, 0, len, own); at >= 0; at = find(src, at + 1, len, own)) {
            int e = at + own.length;
            boolean whole = e < len && Boundaries.startsAfter(StandIns.Kind.NAME, Boundaries.before(src, at, 0),
                    Boundaries.before(src, at - 1, 0)) && Boundaries.endsBefore(StandIns.Kind.NAME, src[e]);
            boolean atLine = at >= GIT_USER_LINE.length
                    && Arrays.equals(src, at - GIT_USER_LINE.length, at, GIT_USER_LINE, 0, GIT_USER_LINE.length)
                    && (src[e] == '\\' || src[e] == '"');
            if (whole && (fullName || atLine) && !inside(paths, at, e)) {
                out.add(new Swap(at, e, name.standIn()));
            }
        }
        return out;
    }

    private static boolean inside(List<Swap> swaps, int start, int end) {
        for (Swap s : swaps) {
            if (start < s.end() && s.start() < end) {
                return true;
            }
        }
        return false;
    }

    /** {@code cc_version=2.1.330.7a4}'s last part inside the system prompt's billing-header block, or null. */
    static Swap billingSuffix(byte[] src, int[] sections) {
        int from = sections[2];
        int to = sections[3];
        if (from < 0) {
            return null;
        }
        int header = indexOf(src, from, to, BILLING);
        if (header < 0) {
            return null;
        }
        int v = indexOf(src, header, Math.min(to, header + 256), CC_VERSION);
        if (v < 0) {
            return null;
        }
        int s = v + CC_VERSION.length;
        int e = s;
        while (e < to && src[e] != ';' && src[e] != '"' && src[e] != '\\' && src[e] != ' ') {
            e++;
        }
        int dot = e - 1;
        while (dot > s && src[dot] != '.') {
            dot--;
        }
        if (src[dot] != '.' || e - dot - 1 < 1 || e - dot - 1 > 8 || !hex(src, dot + 1, e)) {
            return null;
        }
        byte[] constant = BILLING_SUFFIX.getBytes(US_ASCII);
        if (Arrays.equals(src, dot + 1, e, constant, 0, constant.length)) {
            return null;
        }
        return new Swap(dot + 1, e, constant);
    }

    private static boolean hex(byte[] src, int from, int to) {
        for (int i = from; i < to; i++) {
            byte c = src[i];
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
                return false;
            }
        }
        return true;
    }

    private static boolean holdsStandIn(byte[] src, int len, StandIns standIns) {
        for (StandIns.Pair p : standIns.pairs()) {
            if (find(src, 0, len, p.standIn()) >= 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * A word naming the developer outside the swapped places: then some of their values would reach the provider.
     * Searched byte for byte (names as their UTF-8 bytes); a byte of a non-ASCII character next to a name counts as
     * a letter, as the character itself would.
     */
    private static boolean identityLeft(byte[] src, int len, StandIns standIns, List<Swap> swaps) {
        List<String> tokens = new ArrayList<>();
        for (String t : LeftoverNames.of(standIns.changed())) {
            tokens.add(new String(t.getBytes(UTF_8), ISO_8859_1));
        }
        if (tokens.isEmpty()) {
            return false;
        }
        byte[] rest = Arrays.copyOf(src, len);
        for (Swap s : swaps) {
            Arrays.fill(rest, s.start(), s.end(), (byte) ' ');
        }
        return IdentityTokens.firstIn(new String(rest, ISO_8859_1), tokens) != null;
    }

    /** Would any swap touch bytes an earlier stage's edit already changed? (Checked first, so no swap is half made.) */
    private static boolean conflicts(List<RequestBody.Edit> edits, List<Swap> swaps) {
        for (RequestBody.Edit e : edits) {
            for (Swap s : swaps) {
                boolean clash = e.start() == e.end()
                        ? s.start() < e.start() && e.start() < s.end()
                        : s.start() < e.end() && e.start() < s.end();
                if (clash) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * {@code pattern} in the body, searched where the body lies: eight positions a step, not a string copy of
     * the whole body (60 KB to 700 KB per request) for {@code String.indexOf}.
     */
    private static int find(byte[] src, int from, int to, byte[] pattern) {
        return pattern.length == 0 ? -1 : ByteSearch.indexOf(src, from, to, pattern, 0);
    }

    static int indexOf(byte[] src, int from, int to, byte[] pattern) {
        byte first = pattern[0];
        for (int i = from, last = to - pattern.length; i <= last; i++) {
            if (src[i] == first && Arrays.equals(src, i, i + pattern.length, pattern, 0, pattern.length)) {
                return i;
            }
        }
        return -1;
    }
}
