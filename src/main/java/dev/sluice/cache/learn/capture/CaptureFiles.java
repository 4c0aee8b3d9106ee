package dev.sluice.cache.learn.capture;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads captures: a capture directory (its rotated files oldest first, then the current one) or any single file
 * (an export). Bounded: lines over 1 MB are skipped without being held, and at most {@code maxShapes} requests
 * are read (the newest are kept when there are more). A line that is not a capture line is skipped and counted, never fatal: a
 * capture cut by a crash still reads.
 */
public final class CaptureFiles {
    public static final int MAX_LINE = 1 << 20;
    public static final int DEFAULT_MAX_SHAPES = 1_000_000;
    /** What an admin call reads at most: a request's shape can hold hundreds of turn digests. */
    public static final int ADMIN_MAX_SHAPES = 100_000;

    /** What was read, oldest first. */
    public record Capture(List<Shape> shapes, List<Bust> busts, long skipped, boolean truncated) {
    }

    private CaptureFiles() {
    }

    /** Rotated files in a capture directory, oldest first. */
    static List<Path> rotated(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith(CaptureLog.ROTATED_PREFIX)
                            && p.getFileName().toString().endsWith(".jsonl"))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
        }
    }

    /** The files of a capture, oldest first: a directory's rotated files and current file, or the one file given. */
    public static List<Path> files(Path where) throws IOException {
        if (!Files.exists(where)) {
            throw new IOException("capture not found: " + where);
        }
        if (!Files.isDirectory(where)) {
            return List.of(where);
        }
        List<Path> out = new ArrayList<>(rotated(where));
        Path current = where.resolve(CaptureLog.CURRENT);
        if (Files.exists(current)) {
            out.add(current);
        }
        return out;
    }

    /** Reads every request and bust at or after {@code sinceMillis} (0: all). */
    public static Capture read(Path where, long sinceMillis, int maxShapes) throws IOException {
        ArrayDeque<Shape> shapes = new ArrayDeque<>();
        List<Bust> busts = new ArrayList<>();
        long[] skipped = {0};
        boolean truncated = false;
        for (Path file : files(where)) {
            try (BufferedReader in = Files.newBufferedReader(file, UTF_8)) {
                String line;
                while ((line = boundedLine(in)) != null) {
                    if (line.isBlank()) {
                        continue;
                    }
                    if (line == TOO_LONG) {
                        skipped[0]++;
                        continue;
                    }
                    try {
                        switch (ShapeCodec.read(line)) {
                            case ShapeCodec.ShapeLine s when s.shape().at() >= sinceMillis -> shapes.add(s.shape());
                            case ShapeCodec.BustLine b when b.bust().at() >= sinceMillis -> busts.add(b.bust());
                            default -> { }
                        }
                    } catch (IllegalArgumentException e) {
                        skipped[0]++;
                    }
                    if (shapes.size() > maxShapes) {
                        shapes.removeFirst();
                        truncated = true;
                    }
                }
            }
        }
        List<Shape> sorted = new ArrayList<>(shapes);
        sorted.sort(Comparator.comparingLong(Shape::at));
        busts.sort(Comparator.comparingLong(Bust::at));
        return new Capture(List.copyOf(sorted), List.copyOf(busts), skipped[0], truncated);
    }

    /** Writes every line of a capture at or after {@code sinceMillis} to {@code out}, as one file; returns the count. */
    public static long export(Path where, long sinceMillis, Writer out) throws IOException {
        long n = 0;
        for (Path file : files(where)) {
            try (BufferedReader in = Files.newBufferedReader(file, UTF_8)) {
                String line;
                while ((line = boundedLine(in)) != null) {
                    if (line.isBlank() || line == TOO_LONG) {
                        continue;
                    }
                    try {
                        long at = switch (ShapeCodec.read(line)) {
                            case ShapeCodec.ShapeLine s -> s.shape().at();
                            case ShapeCodec.BustLine b -> b.bust().at();
                        };
                        if (at >= sinceMillis) {
                            out.write(line);
                            out.write('\n');
                            n++;
                        }
                    } catch (IllegalArgumentException e) {
                        // not a capture line: left out of the export
                    } catch (UncheckedIOException e) {
                        throw e.getCause();
                    }
                }
            }
        }
        return n;
    }

    /** Returned for a line over {@link #MAX_LINE} characters (the rest of it is skipped, never held). */
    private static final String TOO_LONG = new String("(line too long)");

    /** The next line, without its end; {@link #TOO_LONG} when it is over the limit; null at the end. */
    private static String boundedLine(BufferedReader in) throws IOException {
        StringBuilder sb = new StringBuilder();
        boolean tooLong = false;
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                return tooLong ? TOO_LONG : sb.toString();
            }
            if (!tooLong && sb.length() >= MAX_LINE) {
                tooLong = true;
                sb.setLength(0);
            } else if (!tooLong && c != '\r') {
                sb.append((char) c);
            }
        }
        return tooLong ? TOO_LONG : sb.isEmpty() ? null : sb.toString();
    }
}
