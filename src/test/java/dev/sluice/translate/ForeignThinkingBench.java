package dev.sluice.translate;

import dev.sluice.pipeline.RequestBody;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;

/**
 * What {@link ForeignThinking#forClaude} costs per request bound for Claude: a Claude Code tool loop of {@code turns}
 * turns (a 3 KB tool result and a thinking block of about 300 bytes with a signature each), once with Claude's own
 * signatures (the common case: one vector search, no change) and once with the gateway's mark (the streaming pass and
 * the byte-range deletions, the body copied once). Single-threaded, warmed with as many calls as are timed; on-CPU time.
 *
 * <p>Run: {@code ./mvnw -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/test.cp
 * -Dmdep.includeScope=test && java -Xmx512m --add-modules jdk.incubator.vector
 * -cp target/classes:target/test-classes:$(cat target/test.cp) dev.sluice.translate.ForeignThinkingBench [turns...]}.
 * Results: docs/bench/providers.md.
 */
public final class ForeignThinkingBench {
    private ForeignThinkingBench() {
    }

    static byte[] conversation(int turns, boolean marked) {
        StringBuilder sb = new StringBuilder("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":32000,"
                + "\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":31999},\"messages\":[{\"role\":\"user\",\"content\":\"go\"}");
        for (int i = 0; i < turns; i++) {
            sb.append(",{\"role\":\"assistant\",\"content\":[{\"type\":\"thinking\",\"thinking\":\"")
                    .append("I should look at the next file. ".repeat(10)).append("\",\"signature\":\"")
                    .append(marked ? ForeignThinking.SIGNATURE : "EqQBCkgIARABGAIiQL".repeat(20)).append("\"},")
                    .append("{\"type\":\"tool_use\",\"id\":\"t").append(i).append("\",\"name\":\"Read\",\"input\":{\"file_path\":\"/a/b.txt\"}}]}")
                    .append(",{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"t").append(i)
                    .append("\",\"content\":\"").append("int x = foo(bar, baz); // a line of the file read\\n".repeat(60)).append("\"}]}");
        }
        return sb.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    public static void main(String[] args) {
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        String[] sizes = args.length == 0 ? new String[] {"60", "250"} : args;
        for (String turns : sizes) {
            for (boolean marked : new boolean[] {false, true}) {
                byte[] body = conversation(Integer.parseInt(turns), marked);
                int n = marked ? 500 : 5_000;
                long sink = 0;
                for (int i = 0; i < n; i++) {
                    sink += ForeignThinking.forClaude(RequestBody.of(body)).bytes().length();
                }
                long t0 = cpu.getCurrentThreadCpuTime();
                for (int i = 0; i < n; i++) {
                    sink += ForeignThinking.forClaude(RequestBody.of(body)).bytes().length();
                }
                double us = (cpu.getCurrentThreadCpuTime() - t0) / 1e3 / n;
                System.out.printf("%4s turns, %5d KB, %-16s %8.1f us/request  (%d)%n", turns, body.length / 1024,
                        marked ? "gateway's mark:" : "Claude's blocks:", us, sink);
            }
        }
    }
}
