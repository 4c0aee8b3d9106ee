package dev.sluice.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import dev.sluice.wire.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Every configuration the gateway applied, kept in {@code <data-dir>/config-versions/}: the text as
 * written (before {@code ${ENV}} substitution, so secrets from the environment are never copied
 * here) in {@code NNNNNN.yaml}, and who applied it, when, from where and what changed in
 * {@code NNNNNN.json}. Numbers keep counting across restarts; a restart with an unchanged file adds
 * no version.
 */
public final class ConfigVersions {
    /** Diffs longer than this are cut in the metadata (the full texts stay in the .yaml files). */
    private static final int MAX_DIFF_LINES = 400;

    private final Path dir;

    public ConfigVersions(Path dataDir) {
        this.dir = dataDir.resolve("config-versions");
    }

    /**
     * One applied version.
     *
     * @param restartNeeded settings that changed but only take effect at the next start
     */
    public record Version(int number, Instant appliedAt, String who, String source, String sha256, List<String> restartNeeded,
                          String diff) {
    }

    /** The newest version, or null when none was recorded yet. */
    public synchronized Version latest() {
        List<Version> all = list();
        return all.isEmpty() ? null : all.getLast();
    }

    /** Every recorded version, oldest first. */
    public synchronized List<Version> list() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Version> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            // Only the files this class writes: a note or a backup copy an operator left here made every listing (and
            // the admin API's /admin/config/versions) fail with a 500 (attack round 27).
            for (Path p : files.filter(f -> NUMBERED.matcher(f.getFileName().toString()).matches()).sorted().toList()) {
                out.add(readOrPlaceholder(p));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("config versions in " + dir + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** The text of version {@code n}, or null. */
    public synchronized String text(int n) {
        Path p = dir.resolve(name(n) + ".yaml");
        try {
            return Files.exists(p) ? Files.readString(p) : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Records {@code text} as the next version; returns it. */
    public synchronized Version record(String text, String who, String source, List<String> restartNeeded) {
        Version last = latest();
        int n = last == null ? 1 : last.number() + 1;
        String previous = last == null ? "" : text(last.number());
        String before = previous == null ? "" : previous;
        Version v = new Version(n, Instant.now(), who, source, sha256(text), List.copyOf(restartNeeded),
                ConfigSecrets.redact(diff(before, text, last == null ? 0 : last.number(), n), before, text));
        try {
            Files.createDirectories(dir);
            write(dir.resolve(name(n) + ".yaml"), text);
            ObjectNode meta = Json.MAPPER.createObjectNode();
            meta.put("version", v.number()).put("applied_at", v.appliedAt().toString()).put("who", who)
                    .put("source", source).put("sha256", v.sha256()).put("diff", v.diff());
            restartNeeded.forEach(meta.putArray("restart_needed")::add);
            write(dir.resolve(name(n) + ".json"), meta.toPrettyString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record configuration version " + n + " in " + dir + ": " + e.getMessage(), e);
        }
        return v;
    }

    /**
     * Version {@code n} with its diff from the version before as it may be shown: computed again from both texts with
     * every secret written out in either redacted ({@link ConfigSecrets}), so versions recorded before redaction existed
     * are shown redacted too; null when there is no such version.
     */
    public synchronized Version shown(int n) {
        Path meta = dir.resolve(name(n) + ".json");
        String text = text(n);
        if (text == null || !Files.exists(meta)) {
            return null;
        }
        Version v = readOrPlaceholder(meta);
        String before = n > 1 && text(n - 1) != null ? text(n - 1) : "";
        return new Version(v.number(), v.appliedAt(), v.who(), v.source(), v.sha256(), v.restartNeeded(),
                ConfigSecrets.redact(diff(before, text, n - 1, n), before, text));
    }

    /** True when {@code text} is what the latest version holds. */
    public synchronized boolean isLatest(String text) {
        Version last = latest();
        return last != null && last.sha256().equals(sha256(text));
    }

    private static void write(Path target, String text) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            // The text may hold keys written literally: readable by the gateway's own user only.
            Files.createFile(tmp, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: its own access rules apply
        }
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static final java.util.regex.Pattern NUMBERED = java.util.regex.Pattern.compile("\\d{6,}\\.json");

    /**
     * A version's metadata; one that cannot be read still holds its number (the next version must not take it, and its
     * text may still be there), said in its {@code who}.
     */
    private static Version readOrPlaceholder(Path p) {
        try {
            return read(p);
        } catch (IOException | RuntimeException e) {
            String name = p.getFileName().toString();
            return new Version(Integer.parseInt(name.substring(0, name.length() - ".json".length())), Instant.EPOCH,
                    "(unreadable metadata: " + p.getFileName() + ")", "", "", List.of(), "");
        }
    }

    private static Version read(Path p) throws IOException {
        JsonNode n = Json.MAPPER.readTree(p.toFile());
        List<String> restart = new ArrayList<>();
        n.path("restart_needed").forEach(x -> restart.add(x.asText()));
        return new Version(n.path("version").asInt(), Instant.parse(n.path("applied_at").asText()), n.path("who").asText(),
                n.path("source").asText(), n.path("sha256").asText(), restart, n.path("diff").asText());
    }

    static String diff(String before, String after, int from, int to) {
        List<String> a = before.lines().toList();
        List<String> b = after.lines().toList();
        List<String> lines = UnifiedDiffUtils.generateUnifiedDiff("version " + from, "version " + to, a,
                DiffUtils.diff(a, b), 2);
        if (lines.size() > MAX_DIFF_LINES) {
            lines = new ArrayList<>(lines.subList(0, MAX_DIFF_LINES));
            lines.add("... (diff cut; compare the .yaml files of both versions)");
        }
        return String.join("\n", lines);
    }

    private static String name(int n) {
        return String.format("%06d", n);
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
