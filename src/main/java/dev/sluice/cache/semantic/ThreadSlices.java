package dev.sluice.cache.semantic;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Scheduler time slices for the threads a semantic lookup runs on and waits behind (Linux 6.12 or later; a no-op
 * elsewhere). Why: on two cores a lookup or its caller is woken while both cores run something else, most often the
 * JIT compiler on a quiet host. Linux's EEVDF scheduler then lets the running thread finish its slice (1.4 ms here)
 * and switches at the next tick (every 4 ms at {@code HZ=250}): a 0.3 ms miss or a 2.5 ms verification waited
 * 1.6–4.8 ms for a core (h-sem7, {@code -Dsched=true}). Nice values do not shorten that wait (the protected slice is
 * wall time whatever the weight); EEVDF's custom slices do: a woken thread whose slice is shorter than the running
 * one's preempts it at once ({@code PREEMPT_SHORT}, {@code sched_setattr(2)}'s {@code sched_runtime} for
 * {@code SCHED_OTHER}). So:
 * <ul>
 *   <li>the lookup threads ask for a short slice ({@link #LOOKUP_SLICE_NANOS}): woken, they preempt a thread on a
 *       longer one, ours or another process's;</li>
 *   <li>the JIT compiler threads get a long one ({@link #BACKGROUND_SLICE_NANOS}): background work that every woken
 *       thread on the default slice (lookups, their callers, event loops) now preempts.</li>
 * </ul>
 * Shares of CPU do not change (weights, that is nice values, are left alone; no privilege is needed): only who runs
 * first when a thread wakes. Children do not inherit a slice ({@code SCHED_FLAG_RESET_ON_FORK}). Off with
 * {@code -Dsluice.semantic.slices=false}. Any failure (another OS, an older kernel, a seccomp filter) leaves the
 * defaults.
 */
final class ThreadSlices {
    static final long LOOKUP_SLICE_NANOS = 300_000;
    static final long BACKGROUND_SLICE_NANOS = 20_000_000;
    /** Thread names ({@code /proc/.../comm}, 15 characters) of the JIT's compiler threads. */
    private static final String[] BACKGROUND = {"C1 CompilerThre", "C2 CompilerThre"};
    private static final long RESET_ON_FORK = 0x01;
    private static final boolean ENABLED = !"false".equals(System.getProperty("sluice.semantic.slices"));
    private static final long SYS_SCHED_SETATTR = switch (System.getProperty("os.arch", "")) {
        case "amd64", "x86_64" -> 314;
        case "aarch64" -> 274;
        default -> -1;
    };
    private static final MethodHandle SYSCALL = syscall();

    private ThreadSlices() {
    }

    /** Gives the calling thread the lookup slice; false when that was not possible (or is turned off). */
    static boolean lookupThread() {
        return set(selfTid(), LOOKUP_SLICE_NANOS);
    }

    /** Gives the JIT's compiler threads the background slice; the number of threads changed. */
    static int background() {
        int changed = 0;
        if (SYSCALL == null) {
            return 0;
        }
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                String comm = read(task.resolve("comm")).strip();
                for (String name : BACKGROUND) {
                    if (comm.startsWith(name) && set(Integer.parseInt(task.getFileName().toString()), BACKGROUND_SLICE_NANOS)) {
                        changed++;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return changed; // a thread that ended while listed, or no /proc: keep what was done
        }
        return changed;
    }

    /** The slice the thread runs with now, from {@code /proc/self/task/<tid>/sched}; empty off Linux. */
    static Optional<Long> sliceOf(int tid) {
        try {
            for (String line : read(Path.of("/proc/self/task/" + tid + "/sched")).split("\n")) {
                if (line.startsWith("se.slice")) {
                    return Optional.of(Long.parseLong(line.substring(line.indexOf(':') + 1).strip()));
                }
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** The calling thread's kernel id ({@code /proc/thread-self} names it), or -1. */
    static int selfTid() {
        try {
            return Integer.parseInt(Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static boolean set(int tid, long sliceNanos) {
        if (SYSCALL == null || tid <= 0) {
            return false;
        }
        try (Arena arena = Arena.ofConfined()) {
            // struct sched_attr, first version (48 bytes): size, policy, flags, nice, priority, runtime, deadline, period
            MemorySegment attr = arena.allocate(48, 8);
            attr.set(JAVA_INT, 0, 48);
            attr.set(JAVA_INT, 4, 0); // SCHED_OTHER
            attr.set(JAVA_LONG, 8, RESET_ON_FORK);
            attr.set(JAVA_INT, 16, niceOf(tid)); // kept: sched_setattr sets it, and lowering it needs privilege
            attr.set(JAVA_LONG, 24, sliceNanos);
            return (long) SYSCALL.invokeExact(SYS_SCHED_SETATTR, (long) tid, attr, 0L) == 0;
        } catch (Throwable e) {
            return false;
        }
    }

    private static int niceOf(int tid) throws IOException {
        String stat = read(Path.of("/proc/self/task/" + tid + "/stat"));
        // After "(comm)": state is field 3, nice field 19 of stat(5): index 16 of what follows the ") ".
        return Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[16]);
    }

    private static String read(Path p) throws IOException {
        return Files.readString(p);
    }

    private static MethodHandle syscall() {
        if (!ENABLED || SYS_SCHED_SETATTR < 0 || !System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return null;
        }
        try {
            Linker linker = Linker.nativeLinker();
            return linker.defaultLookup().find("syscall").map(f -> linker.downcallHandle(f,
                    FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_LONG),
                    Linker.Option.firstVariadicArg(1))).orElse(null);
        } catch (RuntimeException | Error e) {
            return null; // native access refused (--illegal-native-access=deny) or no linker on this platform
        }
    }
}
