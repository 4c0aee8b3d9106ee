package dev.sluice.guard.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether a 128-entry byte table lookup a 64-byte register at a time is one instruction here: AVX-512 VBMI's
 * {@code VPERMI2B}, which the JIT uses for {@code ByteVector.selectFrom} of two 64-byte vectors. Without it (AVX-512
 * before Ice Lake, AVX2, other CPUs) that call is not compiled to a lookup but runs as plain Java, far slower than the
 * compares it replaces, so the lookups are used only when the CPU says it has the instruction. Read from
 * {@code /proc/cpuinfo} (Linux); anywhere else the compares are used.
 */
public final class BytePermute {
    /** True when {@code jdk.incubator.vector} is present, registers are 64 bytes wide and the CPU has AVX-512 VBMI. */
    public static final boolean AVAILABLE = detect();

    private BytePermute() {
    }

    private static boolean detect() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty() || Boolean.getBoolean("sluice.guard.noBytePermute")) {
            return false;
        }
        try {
            String info = Files.readString(Path.of("/proc/cpuinfo"));
            return (info.contains(" avx512vbmi ") || info.contains(" avx512_vbmi ")) && Wide.registers();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** In its own class so the vector API is only touched when its module is there. */
    private static final class Wide {
        static boolean registers() {
            return jdk.incubator.vector.ByteVector.SPECIES_PREFERRED.length() >= 64;
        }
    }
}
