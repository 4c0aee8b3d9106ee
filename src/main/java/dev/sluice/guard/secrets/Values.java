package dev.sluice.guard.secrets;

import dev.sluice.guard.detect.Chars;
import dev.sluice.guard.detect.Entropy;
import dev.sluice.guard.detect.Examples;
import dev.sluice.guard.detect.Text;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/** Tests a value found in an assignment: is it a literal that looks like a real credential? */
final class Values {
    private static final List<String> HASH_PREFIXES = List.of("sha1-", "sha256-", "sha384-", "sha512-", "sha1:", "sha256:",
            "sha512:", "md5:", "md5-", "$2a$", "$2b$", "$2y$", "$argon2", "$pbkdf2", "pbkdf2_", "{ssha}", "{sha}", "h1:",
            "scrypt:", "bcrypt$");
    /** Vendor token prefixes: such a value is the vendor rule's to judge; when that rule said no, it is a fake. */
    private static final List<String> VENDOR_PREFIXES = List.of("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "glpat-",
            "gldt-", "glrt-", "xoxb-", "xoxp-", "xoxa-", "xoxr-", "xoxs-", "xoxe-", "xapp-", "sk_live_", "sk_test_", "rk_live_",
            "rk_test_", "whsec_", "pk_live_", "pk_test_", "sk-proj-", "sk-svcacct-", "sk-admin-", "sk-ant-", "akia", "asia", "eyj");
    private static final List<String> EXPRESSIONS = List.of("${", "{{", "}}", "%(", "#{", "://", "process.env", "os.environ",
            "getenv", "env(", "env[", "secrets.", "vault:", "<%", "%>", "\\n");

    private Values() {
    }

    static boolean secretLiteral(Text t, int from, int to, boolean quoted, boolean password) {
        int len = to - from;
        if (len < (password ? 8 : 16) || len > 256) {
            return false;
        }
        int first = t.at(from);
        if ("$%{<[(@&*#/.~\\".indexOf(first) >= 0) {
            return false;
        }
        String lower = new String(t.bytes(), from, len, StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT);
        if (lower.indexOf(' ') >= 0 || startsWithAny(lower, HASH_PREFIXES) || startsWithAny(lower, VENDOR_PREFIXES) || containsAny(lower, EXPRESSIONS)) {
            return false;
        }
        if (!quoted && identifierLike(t, from, to)) {
            return false;
        }
        if (Examples.placeholder(t, from, to) || knownUuid(lower) || (password && uuid(lower))) {
            return false;
        }
        if (encodedPlainText(t, from, to)) {
            return false;
        }
        int classes = Chars.classes(t, from, to);
        double bits = Entropy.bits(t, from, to);
        if (password) {
            return classes >= 3 && bits >= 2.75;
        }
        return (classes >= 3 && bits >= 3.0) || (len >= 20 && classes >= 2 && bits >= 3.5);
    }

    /** A bare word or dotted name, as in {@code password = userPassword} or {@code settings.SECRET_KEY2}. */
    private static boolean identifierLike(Text t, int from, int to) {
        boolean digit = false;
        boolean dot = false;
        for (int i = from; i < to; i++) {
            int c = t.at(i);
            if (!(Chars.word(c) || c == '.')) {
                return false;
            }
            digit |= Chars.digit(c);
            dot |= c == '.';
        }
        return dot || !digit;
    }

    private static boolean uuid(String s) {
        return s.length() == 36 && s.charAt(8) == '-' && s.charAt(13) == '-' && s.charAt(18) == '-' && s.charAt(23) == '-';
    }

    private static boolean knownUuid(String s) {
        return s.equals("123e4567-e89b-12d3-a456-426614174000") || s.equals("550e8400-e29b-41d4-a716-446655440000");
    }

    /** Base64 that decodes to readable words ("dGVzdC10b2tlbg==" is "test-token"): test data, not a key. */
    private static boolean encodedPlainText(Text t, int from, int to) {
        int len = to - from;
        if (len % 4 != 0 || len > 200) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (!Chars.base64(t.at(i)) && t.at(i) != '=') {
                return false;
            }
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(new String(t.bytes(), from, len, StandardCharsets.ISO_8859_1));
        } catch (IllegalArgumentException e) {
            return false;
        }
        int letters = 0;
        for (byte d : decoded) {
            if (d < 0x20 || d > 0x7e) {
                return false;
            }
            if (Character.isLetter(d) || d == ' ') {
                letters++;
            }
        }
        return decoded.length > 0 && letters * 10 >= decoded.length * 7;
    }

    private static boolean startsWithAny(String s, List<String> prefixes) {
        for (String p : prefixes) {
            if (s.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    private static boolean containsAny(String s, List<String> words) {
        for (String w : words) {
            if (s.contains(w)) {
                return true;
            }
        }
        return false;
    }
}
