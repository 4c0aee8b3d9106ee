package dev.sluice.cache;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.cache.agent.CachingProxy;
import dev.sluice.cache.agent.CaptureStudy;
import dev.sluice.cache.agent.ScriptedAgentUpstream;
import dev.sluice.cache.agent.StudyCli;
import dev.sluice.cache.agent.StudyWorkspace;
import dev.sluice.cache.entry.SecretWriteGuard;
import dev.sluice.cache.store.MemoryStore;
import dev.sluice.pipeline.Identity;
import dev.sluice.testing.ClaudeCli;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Claude Code CLI, twice: Alice in her home directory and workspace asks a question that takes
 * three turns of tool use; Bob, in his own home and at another path, asks the same. Every one of Bob's
 * turns is answered from Alice's entries with Bob's paths, and his agent loop runs its tools on his own
 * files. A developer of another organization asking the same gets nothing of theirs.
 */
class WorkspaceRelativeCliTest {
    static final Identity ALICE = new Identity("k-alice", "laptop", "alice", "payments", "acme", Map.of());
    static final Identity BOB = new Identity("k-bob", "laptop", "bob", "payments", "acme", Map.of());
    static final Identity CAROL = new Identity("k-carol", "laptop", "carol", "payments", "elsewhere", Map.of());

    @Test
    void bobsAgentLoopRunsOnAlicesCachedAnswersInHisOwnWorkspace(@TempDir Path root) throws Exception {
        Path bin = ClaudeCli.require();
        Path origin = StudyWorkspace.originRepo(root.resolve("origin"));
        Vertx vertx = Vertx.vertx();
        MemoryStore store = new MemoryStore(64 << 20, false);
        ResponseCache cache = ResponseCache.create(vertx, store, new SecretWriteGuard(), false).await();
        try (ScriptedAgentUpstream upstream = ScriptedAgentUpstream.start();
             CachingProxy proxy = CachingProxy.start(vertx, cache, CachePolicy.defaults(),
                     Map.of("sk-alice", ALICE, "sk-bob", BOB, "sk-carol", CAROL), upstream.port())) {
            String aliceWs = root.resolve(StudyWorkspace.ALICE.workspace()).toString();
            ClaudeCli.Result alice = ask(bin, root, origin, StudyWorkspace.ALICE, proxy, "sk-alice");
            assertThat(alice.stdout()).contains(aliceWs + "/calc.py").contains("add(a, b)");
            assertThat(proxy.settle()).hasSize(3).allSatisfy(o -> {
                assertThat(o.stored()).as(o.reason()).isTrue();
                assertThat(o.shared()).as("workspace-relative, not pinned: %s", o.reason()).isTrue();
            });
            assertThat(proxy.seen()).extracting(CachingProxy.Seen::status).containsExactly("miss", "miss", "miss");
            assertThat(upstream.answered()).isEqualTo(3);

            proxy.clear();
            String bobWs = root.resolve(StudyWorkspace.BOB.workspace()).toString();
            ClaudeCli.Result bob = ask(bin, root, origin, StudyWorkspace.BOB, proxy, "sk-bob");
            assertThat(proxy.seen()).extracting(CachingProxy.Seen::status).containsExactly("hit", "hit", "hit");
            assertThat(upstream.answered()).as("Bob cost nothing upstream").isEqualTo(3);
            assertThat(bob.stdout()).contains(bobWs + "/calc.py").contains(bobWs + "/README.md").doesNotContain("alice");
            // Bob's CLI ran the replayed tool calls on his own checkout: his next turns carry his results
            String bobTurn2 = new String(proxy.seen().get(1).body(), UTF_8);
            assertThat(bobTurn2).contains(bobWs + "/calc.py:1:def add(a, b):").doesNotContain("/alice/");
            String bobTurn3 = new String(proxy.seen().get(2).body(), UTF_8);
            assertThat(bobTurn3).contains("\"file_path\":\"" + bobWs + "/calc.py\"").contains("return a + b");

            proxy.clear();
            ask(bin, root, origin, StudyWorkspace.CAROL, proxy, "sk-carol");
            assertThat(proxy.seen()).extracting(CachingProxy.Seen::status).containsExactly("miss", "miss", "miss");
            assertThat(upstream.answered()).as("another organization never sees acme's entries").isEqualTo(6);
            proxy.settle();
        } finally {
            vertx.close().await();
        }
    }

    private static ClaudeCli.Result ask(Path bin, Path root, Path origin, StudyWorkspace.Developer dev, CachingProxy proxy, String key)
            throws Exception {
        Map<String, String> env = Map.of("ANTHROPIC_BASE_URL", proxy.baseUrl(), "ANTHROPIC_API_KEY", key,
                "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1", "DISABLE_AUTOUPDATER", "1");
        ClaudeCli.Result r = StudyCli.run(bin, dev.checkout(root, origin), dev.home(root), env, Duration.ofSeconds(180),
                "-p", CaptureStudy.QUESTION, "--allowedTools", "Read,Bash(grep:*)");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r;
    }

    static List<String> statuses(CachingProxy p) {
        return p.seen().stream().map(CachingProxy.Seen::status).toList();
    }
}
