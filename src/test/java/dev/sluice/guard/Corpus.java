package dev.sluice.guard;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The labelled corpus under {@code src/test/resources/guard/corpus}: positives per detector and negatives
 * of ordinary coding-agent traffic. Each file holds cases:
 *
 * <pre>
 * === name | expect: rule-a rule-b | as: tool_result | policy: pii
 * the text of the case ...
 * </pre>
 *
 * {@code expect} lists the rules that must be found (none for a negative); {@code as} is where the text sits
 * (tool_result by default, or user, assistant, system, tool_description); {@code policy: pii} scans with every
 * personal-data rule on. Credentials are written as {@code {{generator}}} and made at load time from a seeded
 * random source ({@code {{github_token}}} twice in a case is the same token; {@code {{github_token:2}}} another),
 * so the repository holds no string that looks like a live credential. {@code {{github_token+fullwidth}}} disguises the
 * value ({@link #disguise}).
 */
final class Corpus {
    static final String ROOT = "/guard/corpus/";
    static final List<String> FILES = List.of("positives/secrets-cloud.txt", "positives/secrets-tokens.txt",
            "positives/secrets-keys.txt", "positives/secrets-generic.txt", "positives/pii.txt", "positives/injection.txt",
            "negatives/config-and-auth-code.txt", "negatives/fixtures-and-docs.txt", "negatives/hashes-lockfiles-data.txt",
            "negatives/agent-traffic.txt", "negatives/pii-lookalikes.txt", "negatives/injection-lookalikes.txt");
    private static final Pattern HEADER = Pattern.compile("^=== (.+)$", Pattern.MULTILINE);
    private static final Pattern TEMPLATE = Pattern.compile("\\{\\{([a-z0-9_]+)(?::(\\d+))?(?:\\+([a-z_]+))?}}");
    private static final Pattern CODE_POINT = Pattern.compile("\\\\u\\{([0-9A-Fa-f]{1,6})}");
    private static final Pattern TAGS = Pattern.compile("\\[\\[tags:([^\\]]*)]]");

    /** One labelled case. */
    record Case(String file, String name, Set<String> expected, String as, boolean pii, String text) {
        boolean positive() {
            return !expected.isEmpty();
        }
    }

    private Corpus() {
    }

    static List<Case> load() {
        List<Case> all = new ArrayList<>();
        for (String f : FILES) {
            all.addAll(parse(f, read(f)));
        }
        return all;
    }

    private static String read(String file) {
        try (InputStream in = Corpus.class.getResourceAsStream(ROOT + file)) {
            if (in == null) {
                throw new IllegalStateException("corpus file missing: " + ROOT + file);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<Case> parse(String file, String content) {
        List<Case> cases = new ArrayList<>();
        Matcher m = HEADER.matcher(content);
        List<int[]> heads = new ArrayList<>();
        while (m.find()) {
            heads.add(new int[] {m.start(), m.end()});
        }
        for (int i = 0; i < heads.size(); i++) {
            String header = content.substring(heads.get(i)[0] + 4, heads.get(i)[1]);
            int bodyStart = heads.get(i)[1] + 1;
            int bodyEnd = i + 1 < heads.size() ? heads.get(i + 1)[0] : content.length();
            String text = bodyStart >= bodyEnd ? "" : content.substring(bodyStart, bodyEnd);
            if (text.endsWith("\n")) {
                text = text.substring(0, text.length() - 1);
            }
            cases.add(caseOf(file, header, text));
        }
        return cases;
    }

    private static Case caseOf(String file, String header, String text) {
        String[] parts = header.split("\\|");
        String name = parts[0].trim();
        Set<String> expected = new LinkedHashSet<>();
        String as = "tool_result";
        boolean pii = false;
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim();
            if (p.startsWith("expect:")) {
                for (String r : p.substring(7).trim().split("\\s+")) {
                    if (!r.isEmpty() && !r.equals("none")) {
                        expected.add(r);
                    }
                }
            } else if (p.startsWith("as:")) {
                as = p.substring(3).trim();
            } else if (p.equals("policy: pii")) {
                pii = true;
            } else {
                throw new IllegalArgumentException(file + ": case '" + name + "': unknown header part '" + p + "'");
            }
        }
        return new Case(file, name, expected, as, pii, invisible(expand(name, text)));
    }

    /** Replaces {@code {{generator}}} with values made from a source seeded by the case name. */
    static String expand(String name, String text) {
        FakeSecrets fake = new FakeSecrets(name.hashCode());
        Map<String, String> made = new HashMap<>();
        Matcher m = TEMPLATE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String key = m.group(0);
            String value = made.computeIfAbsent(key, k -> disguise(m.group(3), generator(m.group(1)).apply(fake)));
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * {@code {{github_token+zero_width}}}: the value with characters a reader does not see, or reads through, inside
     * it, as an attacker hides a credential from a byte match.
     */
    private static String disguise(String how, String value) {
        if (how == null) {
            return value;
        }
        int mid = value.length() / 2;
        return switch (how) {
            case "zero_width" -> value.substring(0, 4) + "\u200B" + value.substring(4, mid) + "\u200C" + value.substring(mid);
            case "soft_hyphen" -> value.substring(0, mid) + "\u00AD" + value.substring(mid);
            case "word_joiner" -> String.join("\u2060", value.split("(?<=\\G.{6})"));
            case "bom" -> value.substring(0, 3) + "\uFEFF" + value.substring(3);
            case "fullwidth" -> value.chars().collect(StringBuilder::new,
                    (b, c) -> b.append(c > 0x20 && c < 0x7F ? (char) (c + 0xFEE0) : (char) c), StringBuilder::append).toString();
            default -> throw new IllegalArgumentException("unknown corpus disguise +" + how);
        };
    }

    private static Function<FakeSecrets, String> generator(String name) {
        return switch (name) {
            case "aws_key_id" -> FakeSecrets::awsKeyId;
            case "aws_secret" -> FakeSecrets::awsSecret;
            case "github_token" -> f -> f.githubToken("gh" + "p_");
            case "github_oauth" -> f -> f.githubToken("gh" + "o_");
            case "github_app" -> f -> f.githubToken("gh" + "s_");
            case "github_pat" -> FakeSecrets::githubFineGrained;
            case "gitlab_token" -> FakeSecrets::gitlab;
            case "slack_bot" -> FakeSecrets::slackBot;
            case "slack_user" -> FakeSecrets::slackUser;
            case "slack_webhook" -> FakeSecrets::slackWebhookPath;
            case "stripe_live" -> FakeSecrets::stripeLive;
            case "stripe_restricted" -> FakeSecrets::stripeRestricted;
            case "stripe_test" -> FakeSecrets::stripeTest;
            case "stripe_webhook" -> FakeSecrets::stripeWebhook;
            case "openai_key" -> FakeSecrets::openAi;
            case "anthropic_key" -> FakeSecrets::anthropic;
            case "anthropic_oauth" -> FakeSecrets::anthropicOauth;
            case "azure_storage_key" -> FakeSecrets::azureStorageKey;
            case "azure_sas_key" -> FakeSecrets::azureSharedAccessKey;
            case "pem" -> f -> FakeSecrets.pem().stripTrailing();
            case "pem_numbered" -> f -> numbered(FakeSecrets.pem().stripTrailing());
            case "pem_escaped" -> f -> FakeSecrets.pem().replace("\n", "\\n");
            case "openssh_key" -> FakeSecrets::openSshKey;
            case "jwt" -> FakeSecrets::jwt;
            case "gcp_sa_json" -> FakeSecrets::gcpServiceAccountJson;
            case "password" -> FakeSecrets::password;
            case "b64_password" -> f -> java.util.Base64.getEncoder().encodeToString(f.password()
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            case "b64_token" -> f -> java.util.Base64.getEncoder().encodeToString(f.githubToken("gh" + "p_")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            case "basic_pair" -> f -> java.util.Base64.getEncoder().encodeToString(("ci-deploy:" + f.password())
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            case "basic_pair_unpadded" -> f -> java.util.Base64.getEncoder().withoutPadding().encodeToString(("octocat:"
                    + f.githubToken("gh" + "p_")).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            case "hex32" -> f -> f.hex(32);
            case "hex64" -> f -> f.hex(64);
            case "alnum40" -> f -> f.alnum(40);
            default -> throw new IllegalArgumentException("unknown corpus generator {{" + name + "}}");
        };
    }

    /**
     * Characters nobody can see are written visibly in the corpus: {@code \\u{200B}} is U+200B, and
     * {@code [[tags:text]]} is {@code text} in Unicode tag characters (U+E0000 + each ASCII byte).
     */
    static String invisible(String text) {
        Matcher m = CODE_POINT.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(new String(Character.toChars(Integer.parseInt(m.group(1), 16)))));
        }
        m.appendTail(out);
        Matcher t = TAGS.matcher(out.toString());
        StringBuilder tagged = new StringBuilder();
        while (t.find()) {
            StringBuilder hidden = new StringBuilder();
            t.group(1).chars().forEach(c -> hidden.appendCodePoint(0xE0000 + c));
            t.appendReplacement(tagged, Matcher.quoteReplacement(hidden.toString()));
        }
        t.appendTail(tagged);
        return tagged.toString();
    }

    /** A file as Claude Code's Read tool shows it: right-aligned line numbers and an arrow. */
    private static String numbered(String text) {
        StringBuilder b = new StringBuilder();
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            b.append(String.format("%6d\u2192%s", i + 1, lines[i]));
            if (i + 1 < lines.length) {
                b.append('\n');
            }
        }
        return b.toString();
    }

    /** The request body a case is scanned in: a small Claude Code conversation with the text where the case says. */
    static byte[] body(Case c) {
        String text = c.text();
        var intro = Bodies.user("Please look at this.");
        return switch (c.as()) {
            case "user" -> Bodies.request(Bodies.user(text));
            case "assistant" -> Bodies.request(intro, Bodies.assistant(text));
            case "system" -> systemBody(text);
            case "tool_description" -> toolBody(text);
            case "tool_input" -> Bodies.request(intro, Bodies.message("assistant",
                    Bodies.toolUse("toolu_01", "Bash", Map.of("command", text))));
            case "tool_result" -> Bodies.request(intro, Bodies.message("assistant", Bodies.toolUse("toolu_01", "Read",
                    Map.of("file_path", "/home/dev/app/file"))), Bodies.message("user", Bodies.toolResult("toolu_01", text)));
            default -> throw new IllegalArgumentException(c.file() + ": case '" + c.name() + "': unknown place '" + c.as() + "'");
        };
    }

    private static byte[] systemBody(String text) {
        var root = dev.sluice.wire.Json.MAPPER.createObjectNode();
        root.put("model", "claude-sonnet-4-5-20250929");
        root.putArray("messages").add(Bodies.user("hi"));
        root.putArray("system").add(Bodies.text(text));
        return Bodies.bytes(root);
    }

    private static byte[] toolBody(String text) {
        var root = dev.sluice.wire.Json.MAPPER.createObjectNode();
        root.put("model", "claude-sonnet-4-5-20250929");
        root.putArray("messages").add(Bodies.user("hi"));
        var tool = root.putArray("tools").addObject();
        tool.put("name", "mcp__server__tool");
        tool.put("description", text);
        tool.putObject("input_schema").put("type", "object");
        return Bodies.bytes(root);
    }
}
