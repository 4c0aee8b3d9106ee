package dev.sluice.cache.semantic;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The lookup threads' short slice and the compiler threads' long one, where the kernel has custom slices (Linux ≥ 6.12). */
class ThreadSlicesTest {
    /** EEVDF's custom slices for SCHED_OTHER arrived in Linux 6.12; elsewhere nothing may change. */
    private static boolean customSlices() {
        String[] v = System.getProperty("os.version", "0.0").split("[.-]");
        return System.getProperty("os.name", "").startsWith("Linux")
                && Integer.parseInt(v[0]) * 1000 + Integer.parseInt(v[1]) >= 6012;
    }

    @Test
    void aLookupThreadRunsOnTheShortSlice_andThreadsItStartsDoNot() throws Exception {
        AtomicReference<Optional<Long>> own = new AtomicReference<>();
        AtomicReference<Optional<Long>> child = new AtomicReference<>();
        Thread t = SemanticMatchers.lookupThreads().newThread(() -> {
            own.set(ThreadSlices.sliceOf(ThreadSlices.selfTid()));
            Thread c = Thread.ofPlatform().start(() -> child.set(ThreadSlices.sliceOf(ThreadSlices.selfTid())));
            try {
                c.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(t.getName()).startsWith("sluice-semantic-");
        t.start();
        t.join();
        if (customSlices()) {
            assertThat(own.get()).contains(ThreadSlices.LOOKUP_SLICE_NANOS);
            assertThat(child.get()).isPresent().get().isNotEqualTo(ThreadSlices.LOOKUP_SLICE_NANOS);
        } else {
            assertThat(own.get()).isNotEqualTo(Optional.of(ThreadSlices.LOOKUP_SLICE_NANOS));
        }
    }

    @Test
    void theCompilerThreadsRunOnTheLongSlice() throws Exception {
        int changed = ThreadSlices.background();
        List<Long> slices = new ArrayList<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                if (Files.readString(task.resolve("comm")).matches("C[12] CompilerThre.*\\s*")) {
                    ThreadSlices.sliceOf(Integer.parseInt(task.getFileName().toString())).ifPresent(slices::add);
                }
            }
        }
        if (customSlices()) {
            assertThat(changed).isEqualTo(slices.size()).isPositive();
            assertThat(slices).containsOnly(ThreadSlices.BACKGROUND_SLICE_NANOS);
        } else {
            assertThat(changed).isZero();
        }
    }
}
