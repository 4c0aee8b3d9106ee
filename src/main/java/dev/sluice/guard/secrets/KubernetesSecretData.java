package dev.sluice.guard.secrets;

import dev.sluice.guard.Rule;
import dev.sluice.guard.Severity;
import dev.sluice.guard.detect.Chars;
import dev.sluice.guard.detect.Detector;
import dev.sluice.guard.detect.Emitter;
import dev.sluice.guard.detect.Keyword;
import dev.sluice.guard.detect.Text;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The values under {@code data:} in a Kubernetes Secret manifest (YAML, as written in a repository or printed by
 * {@code kubectl get secret -o yaml}): each is a secret by definition, written in base64, so no other rule can read
 * it unless its key happens to have a secret-sounding name. An agent that reads a manifest sends them all. Every
 * value that decodes to printable text that is no placeholder is reported (the base64 value is the finding).
 * The manifest is the YAML document around {@code kind: Secret}, either side of it ({@code kubectl} prints
 * {@code data:} before {@code kind:}); lines may carry Claude Code's Read line numbers ({@code "    12→"}). The
 * JSON form ({@code kubectl get secret -o json}) is read too.
 */
public final class KubernetesSecretData implements Detector {
    static final Rule RULE = Rule.secret("kubernetes-secret-data", Severity.HIGH,
            "A value under data: in a Kubernetes Secret manifest (base64)");

    /** How far from {@code kind: Secret} the document's {@code data:} block is looked for, each way. */
    private static final int WINDOW = 16 * 1024;
    private static final int MAX_VALUE = 16 * 1024;
    private static final int MAX_ENTRIES = 256;
    private static final byte[] DATA = "data:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DOCUMENT = "---".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KIND_NAME = "\"kind\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DATA_NAME = "\"data\"".getBytes(StandardCharsets.US_ASCII);

    @Override
    public List<Rule> rules() {
        return List.of(RULE);
    }

    @Override
    public List<Keyword> keywords() {
        return List.of(Keyword.exact("kind: Secret"), Keyword.exact("\"Secret\""));
    }

    @Override
    public int check(Text t, int keyword, int start, int end, Emitter out) {
        if (keyword == 1) {
            return json(t, start, end, out);
        }
        if (end < t.length() && Chars.word(t.at(end))) {
            return end; // kind: SecretProviderClass, kind: SecretStore: not a Secret
        }
        int from = documentStart(t, start);
        int to = documentEnd(t, end);
        for (int line = from; line < to; line = nextLine(t, line, to)) {
            int y = content(t, line, to);
            int p = skipSpaces(t, y, to);
            if (t.matches(p, DATA) && lineEnd(t, p + DATA.length, to) == skipSpaces(t, p + DATA.length, to)) {
                values(t, nextLine(t, line, to), to, p - y, out);
                return to;
            }
        }
        return to;
    }

    /**
     * {@code kubectl get secret -o json}: {@code "kind": "Secret"} with a {@code "data": {"key": "value", ...}} object
     * of the same document, which kubectl prints before {@code kind}; looked for in the window either side.
     */
    private static int json(Text t, int start, int end, Emitter out) {
        int colon = skipBack(t, start);
        if (colon < 0 || t.at(colon) != ':') {
            return end;
        }
        int name = skipBack(t, colon);
        if (name < 5 || !t.matches(name - 5, KIND_NAME)) {
            return end; // "Secret" as some other field's value
        }
        int from = Math.max(0, start - WINDOW);
        int to = Math.min(t.length(), end + WINDOW);
        for (int i = from; i + DATA_NAME.length <= to; i++) {
            if (t.at(i) == '"' && t.matches(i, DATA_NAME)) {
                int p = jsonSpaces(t, i + DATA_NAME.length, to);
                if (p < to && t.at(p) == ':') {
                    p = jsonSpaces(t, p + 1, to);
                    if (p < to && t.at(p) == '{') {
                        jsonValues(t, p + 1, to, out);
                        return to;
                    }
                }
            }
        }
        return to;
    }

    /** The members of a {@code data} object: {@code "key": "base64"}, up to its closing brace. */
    private static void jsonValues(Text t, int p, int to, Emitter out) {
        for (int n = 0; n < MAX_ENTRIES; n++) {
            p = jsonSpaces(t, p, to);
            if (p >= to || t.at(p) != '"') {
                return; // the closing brace, or something this reading does not follow
            }
            int keyEnd = p + 1;
            while (keyEnd < to && t.at(keyEnd) != '"' && t.at(keyEnd) != '\n') {
                keyEnd++;
            }
            int v = jsonSpaces(t, keyEnd + 1, to);
            if (v >= to || t.at(v) != ':') {
                return;
            }
            v = jsonSpaces(t, v + 1, to);
            if (v >= to || t.at(v) != '"') {
                return;
            }
            int ve = Chars.run(t, v + 1, MAX_VALUE, c -> Chars.base64(c) || c == '=');
            if (ve >= to || t.at(ve) != '"') {
                return;
            }
            if (ve - (v + 1) >= 8 && secret(t.bytes(), v + 1, ve)) {
                out.report(t, RULE, v + 1, ve);
            }
            p = jsonSpaces(t, ve + 1, to);
            if (p >= to || t.at(p) != ',') {
                return;
            }
            p++;
        }
    }

    /** Past JSON whitespace, line breaks included (the YAML reading's {@link #skipSpaces} stops at them). */
    private static int jsonSpaces(Text t, int p, int to) {
        while (p < to && (t.at(p) == ' ' || t.at(p) == '\t' || t.at(p) == '\n' || t.at(p) == '\r')) {
            p++;
        }
        return p;
    }

    /** The last non-space byte before {@code at}, or -1. */
    private static int skipBack(Text t, int at) {
        int i = at - 1;
        while (i >= 0 && (t.at(i) == ' ' || t.at(i) == '\t' || t.at(i) == '\n' || t.at(i) == '\r')) {
            i--;
        }
        return i;
    }

    /** The {@code key: value} lines indented deeper than {@code data:} (at {@code indent}). */
    private static void values(Text t, int line, int to, int indent, Emitter out) {
        for (int n = 0; line < to && n < MAX_ENTRIES; line = nextLine(t, line, to), n++) {
            int y = content(t, line, to);
            int p = skipSpaces(t, y, to);
            int eol = lineEnd(t, p, to);
            if (p == eol) {
                continue; // a blank line inside the block
            }
            if (p - y <= indent) {
                return; // back at data:'s level: the block ended
            }
            int colon = p;
            while (colon < eol && t.at(colon) != ':') {
                colon++;
            }
            int v = skipSpaces(t, colon + 1, eol);
            if (colon >= eol || v >= eol) {
                continue;
            }
            boolean quoted = t.at(v) == '"' || t.at(v) == '\'';
            int vs = quoted ? v + 1 : v;
            int ve = Chars.run(t, vs, MAX_VALUE, c -> Chars.base64(c) || c == '=');
            if (ve - vs >= 8 && secret(t.bytes(), vs, ve)) {
                out.report(t, RULE, vs, ve);
            }
        }
    }

    /** Text, not binary (a keystore, a DER certificate: not for this rule to judge), and no placeholder. */
    private static boolean secret(byte[] b, int from, int to) {
        String value = Base64Text.decode(b, from, to, true);
        return value != null && value.strip().length() >= 6 && !UrlCredentials.placeholder(value.strip());
    }

    private static int documentStart(Text t, int at) {
        int floor = Math.max(0, at - WINDOW);
        for (int i = at; i > floor; i--) {
            if (t.at(i - 1) == '\n' && t.matches(i, DOCUMENT)) {
                return i;
            }
        }
        return floor == 0 ? 0 : nextLine(t, floor, at);
    }

    private static int documentEnd(Text t, int at) {
        int ceiling = Math.min(t.length(), at + WINDOW);
        for (int i = at; i < ceiling; i++) {
            if (t.at(i) == '\n' && t.matches(i + 1, DOCUMENT)) {
                return i;
            }
        }
        return ceiling;
    }

    /** Where a line's YAML starts, its indentation included: after Claude Code's Read prefix (spaces, digits, then "→" or a tab) if any. */
    private static int content(Text t, int line, int to) {
        int p = skipSpaces(t, line, to);
        int d = p;
        while (d < to && Chars.digit(t.at(d))) {
            d++;
        }
        if (d > p && d < to && t.at(d) == '\t') {
            return d + 1;
        }
        if (d > p && d + 2 < to && t.at(d) == 0xE2 && t.at(d + 1) == 0x86 && t.at(d + 2) == 0x92) {
            return d + 3;
        }
        return line;
    }

    private static int skipSpaces(Text t, int p, int to) {
        while (p < to && (t.at(p) == ' ' || t.at(p) == '\t' || t.at(p) == '\r')) {
            p++;
        }
        return p;
    }

    private static int lineEnd(Text t, int p, int to) {
        while (p < to && t.at(p) != '\n' && t.at(p) != '\r') {
            p++;
        }
        return p;
    }

    private static int nextLine(Text t, int p, int to) {
        while (p < to && t.at(p) != '\n') {
            p++;
        }
        return Math.min(to, p + 1);
    }
}
