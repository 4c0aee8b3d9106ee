package dev.sluice.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A JVM child process running a main class of this test run's class path, for tests about what survives the end of a
 * real process: SIGTERM (the shutdown hooks run) or SIGKILL (nothing runs, only what the kernel holds survives).
 * Signals go by pid through {@code kill(1)}: {@link Process#destroyForcibly()} would also close our end of the child's
 * output pipe and lose what is still buffered in it.
 */
public final class ChildJvm {
    private ChildJvm() {
    }

    /** {@code java <jvmOptions> -cp <this class path> <main> <args>}, with the running JVM's {@code java}. */
    public static ProcessBuilder builder(List<String> jvmOptions, Class<?> main, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }

    /** Sends SIGKILL and returns once {@code kill} has; the child may not have ended yet. */
    public static void sigkill(Process child) throws IOException, InterruptedException {
        signal(child, "-9");
    }

    /** Sends SIGTERM and returns once {@code kill} has; the child's shutdown hooks then run. */
    public static void sigterm(Process child) throws IOException, InterruptedException {
        signal(child, "-TERM");
    }

    private static void signal(Process child, String signal) throws IOException, InterruptedException {
        new ProcessBuilder("kill", signal, Long.toString(child.pid())).start().waitFor();
    }
}
