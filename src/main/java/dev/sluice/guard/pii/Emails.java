package dev.sluice.guard.pii;

import dev.sluice.guard.detect.Chars;
import dev.sluice.guard.detect.Emitter;
import dev.sluice.guard.detect.Text;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * Email addresses around an {@code @}, minus what a coding agent sees that only looks like one:
 * {@code git@github.com:org/repo}, {@code image@2x.png}, {@code pkg@1.2.3}, {@code @decorators},
 * documentation domains ({@code example.com}, {@code .test}) and no-reply senders (Claude Code's own
 * {@code noreply@anthropic.com} co-author line).
 */
final class Emails {
    private static final Set<String> FILE_TLDS = Set.of("png", "jpg", "jpeg", "gif", "svg", "webp", "ico", "js", "mjs", "cjs",
            "ts", "tsx", "jsx", "css", "scss", "json", "md", "py", "rb", "go", "java", "kt", "rs", "yml", "yaml", "xml", "html",
            "txt", "lock", "sh", "woff", "woff2", "ttf", "map", "min", "vue", "svelte", "php", "swift", "class", "jar", "zip");
    private static final Set<String> DOC_DOMAINS = Set.of("example.com", "example.org", "example.net", "test.com", "domain.com",
            "email.com", "company.com", "acme.com", "foo.com", "bar.com", "users.noreply.github.com");

    private Emails() {
    }

    static int check(Text t, int at, Emitter out) {
        int localStart = Chars.runBack(t, at, 64, Emails::localChar);
        int domainEnd = Chars.run(t, at + 1, 253, c -> Chars.alnum(c) || c == '-' || c == '.');
        while (domainEnd > at + 1 && t.at(domainEnd - 1) == '.') {
            domainEnd--;
        }
        if (localStart == at || domainEnd <= at + 3 || t.at(localStart) == '.' || t.at(at - 1) == '.') {
            return at + 1;
        }
        // In a URL's user-info or path ("postgres://app:pw@db.prod:5432", "https://x@host/"), not an address.
        if (localStart > 0 && ":/?#&=^*!$@".indexOf(t.at(localStart - 1)) >= 0
                || domainEnd + 1 < t.length() && (t.at(domainEnd) == ':' && Chars.digit(t.at(domainEnd + 1)) || t.at(domainEnd) == '/')) {
            return domainEnd;
        }
        String local = ascii(t, localStart, at).toLowerCase(Locale.ROOT);
        String domain = ascii(t, at + 1, domainEnd).toLowerCase(Locale.ROOT);
        int dot = domain.lastIndexOf('.');
        if (dot <= 0 || domain.contains("..") || domain.startsWith("-")) {
            return domainEnd;
        }
        String tld = domain.substring(dot + 1);
        if (tld.length() < 2 || tld.length() > 24 || !tld.chars().allMatch(Character::isLetter) || FILE_TLDS.contains(tld)) {
            return domainEnd;
        }
        if (documentation(domain) || local.contains("noreply") || local.contains("no-reply") || local.equals("git")
                || (domainEnd < t.length() && t.at(domainEnd) == ':' && local.equals("git"))) {
            return domainEnd;
        }
        out.report(t, PersonalData.EMAIL, localStart, domainEnd);
        return domainEnd;
    }

    private static boolean documentation(String domain) {
        return DOC_DOMAINS.contains(domain) || domain.endsWith(".example") || domain.endsWith(".test") || domain.endsWith(".invalid")
                || domain.endsWith(".localhost") || domain.endsWith(".local") || domain.endsWith(".example.com")
                || domain.endsWith(".internal");
    }

    static boolean localChar(int c) {
        return Chars.alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
    }

    private static String ascii(Text t, int from, int to) {
        return new String(t.bytes(), from, to - from, StandardCharsets.ISO_8859_1);
    }
}
