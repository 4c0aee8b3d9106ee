package dev.sluice.cache.learn;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.cache.key.KeyRules;
import dev.sluice.cache.key.KeySecret;
import dev.sluice.cache.key.RequestKey;
import dev.sluice.cache.key.RequestKeyer;
import dev.sluice.cache.learn.capture.Bust;
import dev.sluice.cache.learn.capture.Shape;
import dev.sluice.cache.learn.capture.ShapeCodec;
import dev.sluice.cache.learn.capture.ShapeDigester;
import dev.sluice.wire.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Makes the committed sample capture ({@code src/test/resources/cache/learn/team-day.jsonl}): a day of five
 * developers of one organization asking Claude-Code-shaped questions about one repository, keyed by the real
 * {@link RequestKeyer} and digested by the real {@link ShapeDigester}, with the gateway's default policy (org scope,
 * workspace-relative keys, 1-hour TTL) deciding hits. What makes it realistic, and what each part exercises:
 * <ul>
 *   <li>own home directories, git users and random tool-use ids (the keyer rewrites them: cross-developer hits);</li>
 *   <li>dave on Windows sends CRLF in his typed text (whitespace-only misses);</li>
 *   <li>carol's and erin's reminders carry their e-mail addresses (a developer value the keyer does not know);</li>
 *   <li>follow-up turns after a Read tool call, and the same questions asked again after more than an hour;</li>
 *   <li>a deploy at 14:00 changes the namespace and the code (answers differ across it: wrong-answer risk when a
 *       policy ignores namespaces), a bust at 12:30, refreshes, some answers cut by max_tokens (not stored), a few
 *       requests on haiku.</li>
 * </ul>
 * Deterministic (fixed seed, salt and key secret): {@code TeamDayTest} checks the committed file is exactly what this
 * makes; after a deliberate format change, regenerate with
 * {@code ./mvnw -o test -Dtest=TeamDayTest -Dsluice.regenerate=true}.
 */
public final class TeamDay {
    public static final String RESOURCE = "/cache/learn/team-day.jsonl";
    static final long START = Instant.parse("2026-11-24T09:00:00Z").toEpochMilli();
    private static final long MINUTE = 60_000;
    private static final String[] QUESTIONS = {
            "How does the checkout flow compute taxes?", "Where is the cart total rounded?",
            "Why does test_refund_partial fail?", "Add a retry to the payment client", "What calls apply_coupon?",
            "Explain the order state machine", "How are webhooks from the PSP verified?", "Where do we log PII?",
            "Rename CartItem.qty to quantity", "What does the nightly reconcile job do?", "How is the session cookie signed?",
            "Why is /api/orders slow?", "Write a test for split shipments", "Where is the currency conversion cached?",
            "What does make deploy do?", "How do feature flags get loaded?"};
    private static final String[] FILES = {"src/cart.py", "src/checkout.py", "src/payments/client.py", "src/orders.py"};

    private record Dev(String user, String team, String home, String workspace, String gitUser, boolean crlf, String email) {
    }

    private static final List<Dev> DEVS = List.of(
            new Dev("alice", "payments", "/home/alice", "/home/alice/src/shop", "Alice Example", false, null),
            new Dev("bob", "payments", "/home/bob", "/home/bob/code/shop", "Bob Builder", false, null),
            new Dev("carol", "web", "/Users/carol", "/Users/carol/dev/shop", "Carol Jones", false, "carol@acme.dev"),
            new Dev("dave", "web", "/home/dave", "/home/dave/shop", "Dave Smith", true, null),
            new Dev("erin", "web", "/home/erin", "/home/erin/src/shop", "Erin Lee", false, "erin@acme.dev"));

    private record Stored(long expiresAt, String answer) {
    }

    private TeamDay() {
    }

    /** One request of the day, before it is made. */
    private record Ask(Dev dev, long at, int question, boolean haiku, int turn) {
    }

    /** The capture's lines, in time order. */
    public static String make() throws Exception {
        Random random = new Random(20261124);
        RequestKeyer keyer = new RequestKeyer(KeySecret.fixed("team-day"));
        ShapeDigester digester = new ShapeDigester("team-day-sample-capture-salt".getBytes(UTF_8));
        long bustAt = START + 210 * MINUTE;
        long deployAt = START + 300 * MINUTE;
        List<Ask> asks = new ArrayList<>();
        for (Dev dev : DEVS) {
            for (int s = 0; s < 24; s++) {
                long at = START + (long) (random.nextDouble() * 540 * MINUTE);
                int q = Math.min(QUESTIONS.length - 1, (int) Math.floor(Math.pow(random.nextDouble(), 3) * QUESTIONS.length));
                boolean haiku = random.nextInt(12) == 0;
                int turns = 1 + random.nextInt(3);
                for (int t = 0; t < turns; t++) {
                    asks.add(new Ask(dev, at, q, haiku, t));
                    at += (1 + random.nextInt(4)) * MINUTE + random.nextInt(60_000);
                }
            }
        }
        asks.sort(java.util.Comparator.comparingLong(Ask::at));
        Map<String, Stored> cache = new HashMap<>();
        StringBuilder out = new StringBuilder();
        boolean busted = false;
        int n = 0;
        for (Ask a : asks) {
            if (!busted && a.at() >= bustAt) {
                busted = true;
                cache.clear(); // the bust made every entry of the org scope unreachable
                out.append(ShapeCodec.write(new Bust(bustAt, "acme", "org", null))).append('\n');
            }
            Dev dev = a.dev();
            String file = FILES[a.question() % FILES.length];
            String namespace = a.at() < deployAt ? "sha-7d1e" : "sha-9f3a";
            byte[] body = body(dev, a.haiku(), QUESTIONS[a.question()], file, namespace, a.turn(), random);
            List<String> context = List.of("target=anthropic/" + model(a.haiku()), "anthropic-beta=", "anthropic-version=2023-06-01");
            RequestKey key = keyer.key(body, body.length, KeyRules.defaults(), context);
            Map<String, String> bindings = new TreeMap<>();
            key.bindings().asMap().forEach((p, v) -> bindings.put(p.name(), v));
            ShapeDigester.Digests dg = digester.digest(body, body.length, bindings, context, false);
            String answer = digester.answer("Answer to " + QUESTIONS[a.question()] + " turn " + a.turn() + " on " + namespace
                    + " in " + dev.workspace() + "/" + file, bindings);
            boolean refresh = random.nextInt(40) == 0;
            boolean cut = random.nextInt(16) == 0;
            String storeKey = namespace + "|" + key.keyHex();
            Stored found = cache.get(storeKey);
            boolean hit = !refresh && found != null && a.at() < found.expiresAt();
            long in = body.length / 4;
            long outTokens = 250 + random.nextInt(600);
            long cost = a.haiku() ? in * 1_000 + outTokens * 5_000 : in * 3_000 + outTokens * 15_000;
            if (!hit && !cut) {
                cache.put(storeKey, new Stored(a.at() + 3_600_000, answer));
            }
            List<String> rewritten = key.substituted() ? new ArrayList<>(bindings.keySet()) : List.of();
            Shape shape = new Shape(a.at(), String.format("req_%04d", n++), "acme", "org", dev.user(), dev.team(), namespace,
                    model(a.haiku()), true, hit ? "hit" : refresh ? "refresh" : "miss", null, hit ? null : !cut,
                    cut && !hit ? "stop_reason max_tokens" : null, 3600, KeyRules.defaults().describe(), rewritten,
                    dg.bindings(), key.keyHex().substring(0, 16), dg.keys(), dg.parts(), dg.raw(), dg.loose(),
                    hit ? 0 : in, hit ? 0 : outTokens, 0, 0, hit ? 0 : cost, cost, hit ? found.answer() : answer,
                    dg.breakpoints(), Double.NaN, null);
            out.append(ShapeCodec.write(shape)).append('\n');
        }
        return out.toString();
    }

    private static String model(boolean haiku) {
        return haiku ? "claude-haiku-4-5" : "claude-sonnet-4-5";
    }

    private static byte[] body(Dev dev, boolean haiku, String question, String file, String namespace, int turn, Random random)
            throws Exception {
        String nl = dev.crlf() ? "\r\n" : "\n";
        ObjectNode root = Json.MAPPER.createObjectNode().put("model", model(haiku)).put("max_tokens", 32000).put("stream", true);
        root.putObject("metadata").put("user_id", "user_" + dev.user() + "_account__session_" + random.nextInt(1_000_000));
        ArrayNode system = root.putArray("system");
        system.addObject().put("type", "text").put("text", "x-anthropic-billing-header: cc_version=2.1.330; cch=" + random.nextInt(100_000) + ";");
        system.addObject().put("type", "text").put("text", "You are Claude Code, Anthropic's official CLI for Claude.");
        ObjectNode big = system.addObject().put("type", "text").put("text", ("You are an interactive CLI tool that helps users with software "
                + "engineering tasks. Use the instructions below and the tools available to you to assist the user. ").repeat(40)
                + "\nYou have a persistent file-based memory at `" + dev.home() + "/.claude/projects/"
                + dev.workspace().replace('/', '-') + "/memory/`\n");
        big.putObject("cache_control").put("type", "ephemeral");
        ArrayNode tools = root.putArray("tools");
        for (String t : new String[] {"Read", "Grep", "Edit"}) {
            ObjectNode tool = tools.addObject().put("name", t).put("description", (t + " a file or pattern in the workspace. ").repeat(30));
            tool.putObject("input_schema").put("type", "object");
        }
        ((ObjectNode) tools.get(2)).putObject("cache_control").put("type", "ephemeral");
        ArrayNode messages = root.putArray("messages");
        ArrayNode first = messages.addObject().put("role", "user").putArray("content");
        String env = "<system-reminder>" + nl + "Environment" + nl + " - Primary working directory: " + dev.workspace() + nl
                + "Git user: " + dev.gitUser() + nl + (dev.email() != null ? "Account e-mail: " + dev.email() + nl : "")
                + "Today's date is 2026-11-24." + nl + "</system-reminder>";
        first.addObject().put("type", "text").put("text", env);
        ObjectNode typed = first.addObject().put("type", "text").put("text", question + (dev.crlf() ? "\r\nThanks" : "\nThanks"));
        String code = namespace.equals("sha-7d1e") ? "def total(cart):\n    return round(sum(cart), 2)\n"
                : "def total(cart, tax):\n    return round(sum(cart) * (1 + tax), 2)\n";
        for (int t = 0; t < turn; t++) {
            String id = "toolu_01" + Long.toString(Math.abs(random.nextLong()), 36);
            ObjectNode use = messages.addObject().put("role", "assistant").putArray("content").addObject();
            use.put("type", "tool_use").put("id", id).put("name", "Read").putObject("input").put("file_path", dev.workspace() + "/" + file);
            ArrayNode result = messages.addObject().put("role", "user").putArray("content");
            result.addObject().put("type", "tool_result").put("tool_use_id", id).put("content", code);
            if (t == turn - 1) {
                ((ObjectNode) result.get(0)).putObject("cache_control").put("type", "ephemeral");
            }
        }
        if (turn == 0) {
            typed.putObject("cache_control").put("type", "ephemeral");
        }
        return Json.MAPPER.writeValueAsBytes(root);
    }
}
