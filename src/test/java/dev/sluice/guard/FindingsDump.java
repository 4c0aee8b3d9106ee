package dev.sluice.guard;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Every finding of a fixed set of bodies, one line each, for comparing two builds of the guard byte for byte (a
 * speed change must not change what is found). Not a test; run by hand from the repository root, in two steps, so
 * that both builds scan the very same bytes (the corpus generates some keys afresh on each load):
 *
 * <pre>
 * java -cp target/classes:target/test-classes:$(cat target/test.cp) dev.sluice.guard.FindingsDump write /tmp/bodies.bin
 * java --add-modules jdk.incubator.vector -cp OLD_CLASSES:target/test-classes:$(cat target/test.cp) dev.sluice.guard.FindingsDump scan /tmp/bodies.bin > old.txt
 * java --add-modules jdk.incubator.vector -cp target/classes:target/test-classes:$(cat target/test.cp) dev.sluice.guard.FindingsDump scan /tmp/bodies.bin > new.txt
 * diff old.txt new.txt
 * </pre>
 *
 * The bodies: every corpus case, {@link GuardBenchmark}'s 700 KB request, and 3,000 random requests made of corpus
 * texts (secrets, personal data, injections and their look-alikes), JSON escapes and non-ASCII text in user and
 * assistant text, tool inputs, tool results and the system prompt, a third of them over 8 KB of strings (where the
 * keyword automaton cuts its input into chains). Each is scanned at the default policy and with every personal-data rule on.
 */
public final class FindingsDump {
    private FindingsDump() {
    }

    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[1]);
        if (args[0].equals("write")) {
            write(file);
        } else {
            scan(file, System.out);
        }
    }

    private static void write(Path file) throws IOException {
        List<String> names = new ArrayList<>();
        List<byte[]> bodies = new ArrayList<>();
        List<Corpus.Case> cases = Corpus.load();
        for (Corpus.Case c : cases) {
            names.add("corpus " + c.file() + " " + c.name());
            bodies.add(Corpus.body(c));
        }
        names.add("benchmark request");
        bodies.add(GuardBenchmark.Conversation.build().body());
        String[] filler = {" ", "\n", "\t", "\"quoted\"", "\\ back", "é", "→", "\u200b", "日本語", "😀", "x", "let a = 1;", "    42→", "\u0000"};
        Random r = new Random(20261130);
        for (int i = 0; i < 3000; i++) {
            List<ObjectNode> messages = new ArrayList<>();
            int count = 1 + r.nextInt(5);
            boolean large = i % 3 == 0;
            for (int m = 0; m < count; m++) {
                StringBuilder text = new StringBuilder();
                int pieces = 1 + r.nextInt(large ? 40 : 6);
                for (int p = 0; p < pieces; p++) {
                    text.append(r.nextBoolean() ? cases.get(r.nextInt(cases.size())).text() : filler[r.nextInt(filler.length)]);
                    if (large && r.nextInt(4) == 0) {
                        text.append("filler text of an ordinary file, ".repeat(r.nextInt(60)));
                    }
                }
                String t = text.toString();
                messages.add(switch (r.nextInt(5)) {
                    case 0 -> Bodies.user(t);
                    case 1 -> Bodies.assistant(t);
                    case 2 -> Bodies.message("assistant", Bodies.toolUse("toolu_" + m, "Bash", Map.of("command", t)));
                    case 3 -> Bodies.message("user", Bodies.toolResult("toolu_" + m, t));
                    default -> Bodies.message("user", Bodies.toolResultBlocks("toolu_" + m, t, t.substring(t.length() / 2)));
                });
            }
            names.add("random " + i);
            bodies.add(Bodies.request(messages));
        }
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(file))) {
            out.writeInt(bodies.size());
            for (int i = 0; i < bodies.size(); i++) {
                out.writeUTF(names.get(i));
                out.writeInt(bodies.get(i).length);
                out.write(bodies.get(i));
            }
        }
    }

    private static void scan(Path file, PrintStream out) throws IOException {
        GuardScanner scanner = new GuardScanner();
        GuardPolicy all = GuardPolicy.builder().allPii().build();
        int findings = 0;
        try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                String name = in.readUTF();
                byte[] body = in.readNBytes(in.readInt());
                for (GuardPolicy policy : List.of(GuardPolicy.defaults(), all)) {
                    GuardScan scan = scanner.scan(body, body.length, policy);
                    String head = name + " | " + (policy == all ? "pii" : "default") + " | ";
                    out.println(head + "strings " + scan.strings() + " hits " + scan.keywordHits() + " truncated " + scan.truncated());
                    for (Finding f : scan.findings()) {
                        out.println(head + f.rule() + " " + f.start() + "-" + f.end() + " " + f.location() + " " + f.score());
                        findings++;
                    }
                }
            }
        }
        System.err.println(findings + " findings");
    }
}
