package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.cache.stage.SemanticMissBench;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The benchmarks measure the JVM a team runs: the flags {@code bench/jvm-flags.sh} gives every benchmark script are
 * the ones {@code ./sluice} passes with its default heap and young sizes, and so are the semantic benchmark's.
 */
class JvmFlagsTest {

    @Test
    void theBenchmarksRunTheLaunchersFlags() throws Exception {
        List<String> bench = benchFlags();
        assertThat(bench).contains("-XX:TrimNativeHeapInterval=10000", "-Xmx192m");
        assertThat(launcherFlags()).containsExactlyInAnyOrderElementsOf(bench);
    }

    @Test
    void theSemanticBenchmarkRunsThemToo() throws Exception {
        assertThat(SemanticMissBench.LAUNCHER_JVM).containsAll(benchFlags());
    }

    /** The flags of the launcher's {@code exec} line that start with {@code -X}, with its defaults filled in. */
    private static List<String> launcherFlags() throws Exception {
        String script = Files.readString(Path.of("sluice"));
        int exec = script.indexOf("exec \"$JAVA_HOME/bin/java\"");
        assertThat(exec).as("the launcher's exec line").isPositive();
        String line = script.substring(exec, script.indexOf("-jar", exec)).replace("\\\n", " ");
        Matcher defaults = Pattern.compile("\"\\$\\{[A-Z_]+:-([^}]+)}\"").matcher(line);
        line = defaults.replaceAll(m -> Matcher.quoteReplacement(m.group(1)));
        return Arrays.stream(line.split("\\s+")).filter(f -> f.startsWith("-X")).toList();
    }

    private static List<String> benchFlags() throws Exception {
        Matcher m = Pattern.compile("SLUICE_JVM_FLAGS=\"([^\"]+)\"").matcher(Files.readString(Path.of("bench/jvm-flags.sh")));
        assertThat(m.find()).as("SLUICE_JVM_FLAGS in bench/jvm-flags.sh").isTrue();
        return Arrays.asList(m.group(1).trim().split("\\s+"));
    }
}
