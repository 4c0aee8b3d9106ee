package dev.sluice.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${NAME}} and {@code ${NAME:-fallback}} with environment values, and
 * {@code ${file:/run/secrets/x}} with a secret file's contents (trimmed), before parsing, so secrets
 * stay out of the configuration. A missing variable without a fallback, or an unreadable secret
 * file, is an error naming it.
 */
final class EnvSubstitution {
    private static final Pattern VAR = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?}");
    private static final Pattern FILE = Pattern.compile("\\$\\{file:([^}]+)}");

    private EnvSubstitution() {
    }

    static String apply(String origin, String text, Map<String, String> env) {
        return secretFiles(origin, variables(origin, text, env));
    }

    private static String secretFiles(String origin, String text) {
        Matcher m = FILE.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        while (m.find()) {
            Path path = Path.of(m.group(1).trim());
            try {
                m.appendReplacement(out, Matcher.quoteReplacement(Files.readString(path).trim()));
            } catch (IOException e) {
                throw new ConfigException(origin + ": secret file " + path + " cannot be read (" + e.getClass().getSimpleName()
                        + "; expected: a readable file holding the secret)");
            }
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String variables(String origin, String text, Map<String, String> env) {
        Matcher m = VAR.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        while (m.find()) {
            String value = env.get(m.group(1));
            if (value == null || value.isEmpty()) {
                if (m.group(2) == null) {
                    int line = 1 + (int) text.substring(0, m.start()).chars().filter(c -> c == '\n').count();
                    throw new ConfigException(origin + ": line " + line + ": environment variable " + m.group(1)
                            + " is not set (expected: set it, or write ${" + m.group(1) + ":-default})");
                }
                value = m.group(3);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }
}
