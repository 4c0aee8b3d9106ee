package dev.sluice.wire;

import java.util.regex.Pattern;

/**
 * A model-name glob as every part of the gateway reads one (routes, cache and semantic rules, threshold proposals):
 * {@code *} is any run of characters, line separators included, and everything else is literal. One definition, so a
 * model name that one stage's glob takes is taken by every other stage's same glob.
 */
public final class Glob {
    private Glob() {
    }

    /** The pattern of {@code text}; match it with {@code matcher(name).matches()}. */
    public static Pattern of(String text) {
        String[] parts = text.split("\\*", -1);
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                re.append(".*");
            }
            if (!parts[i].isEmpty()) {
                re.append(Pattern.quote(parts[i]));
            }
        }
        // DOTALL: without it '*' stops at U+0085 or U+2028, and a model name holding one matched no catch-all route.
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }
}
