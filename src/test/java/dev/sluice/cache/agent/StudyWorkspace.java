package dev.sluice.cache.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** The small repository of the capture study and the developers who check it out. */
public final class StudyWorkspace {
    public static final String CALC = "def add(a, b):\n    return a + b\n";
    public static final String README = "# calc\n\nA tiny calculator.\n";

    /**
     * A developer: own home directory (with a git identity) and own checkout path under it.
     *
     * @param workspace path of the checkout relative to the study root
     */
    public record Developer(String name, String gitName, String workspace, String fakeDevice, String fakeSession) {
        public Path home(Path root) {
            return root.resolve("home").resolve(name);
        }

        public Path checkout(Path root, Path origin) throws IOException, InterruptedException {
            Path home = home(root);
            Files.createDirectories(home);
            Files.writeString(home.resolve(".gitconfig"), "[user]\n\tname = " + gitName + "\n\temail = " + name + "@example.com\n");
            Path work = root.resolve(workspace);
            Files.createDirectories(work.getParent());
            git(work.getParent(), Map.of("HOME", home.toString()), "clone", "-q", origin.toString(), work.getFileName().toString());
            return work;
        }
    }

    public static final Developer ALICE = new Developer("alice", "Alice Example", "home/alice/src/calc",
            "a11ce0000000000000000000000000000000000000000000000000000000a11c", "11111111-1111-4111-8111-111111111111");
    public static final Developer BOB = new Developer("bob", "Bob Builder", "home/bob/work/projects/calc",
            "b0b0000000000000000000000000000000000000000000000000000000000b0b", "22222222-2222-4222-8222-222222222222");

    public static final Developer CAROL = new Developer("carol", "Carol Other", "home/carol/calc",
            "ca7o100000000000000000000000000000000000000000000000000000000ca7", "33333333-3333-4333-8333-333333333333");

    private StudyWorkspace() {
    }

    /** A repository with one commit whose hash is the same on every run (fixed dates and author). */
    public static Path originRepo(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("calc.py"), CALC);
        Files.writeString(dir.resolve("README.md"), README);
        Map<String, String> env = Map.of("GIT_AUTHOR_DATE", "2026-01-01T00:00:00Z", "GIT_COMMITTER_DATE", "2026-01-01T00:00:00Z",
                "GIT_AUTHOR_NAME", "Repo Owner", "GIT_AUTHOR_EMAIL", "owner@example.com",
                "GIT_COMMITTER_NAME", "Repo Owner", "GIT_COMMITTER_EMAIL", "owner@example.com", "HOME", dir.toString());
        git(dir, env, "init", "-q", "-b", "main");
        git(dir, env, "add", ".");
        git(dir, env, "commit", "-q", "-m", "init");
        return dir;
    }

    static void git(Path dir, Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of("git"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).inheritIO();
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("git " + String.join(" ", args) + " failed in " + dir);
        }
    }

    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
