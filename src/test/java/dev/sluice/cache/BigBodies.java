package dev.sluice.cache;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.wire.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Claude-Code-shaped bodies of a chosen size: a real capture (Alice's third turn) continued with
 * Read tool loops over this repository's own Java sources, the way a long session grows.
 */
public final class BigBodies {
    private BigBodies() {
    }

    /** A body of at least {@code bytes} bytes; {@code workspace} is the path the Read calls use. */
    public static byte[] claudeCode(int bytes, String capture, String workspace) {
        try {
            ObjectNode root = (ObjectNode) Json.MAPPER.readTree(Captures.body(capture));
            ArrayNode messages = (ArrayNode) root.get("messages");
            List<Path> sources;
            try (Stream<Path> walk = Files.walk(Path.of("src/main/java"))) {
                sources = walk.filter(p -> p.toString().endsWith(".java")).filter(BigBodies::namesNoHome).sorted().toList();
            }
            int n = 0;
            while (Json.MAPPER.writeValueAsBytes(root).length < bytes) {
                Path file = sources.get(n % sources.size());
                String id = String.format("toolu_01BigBody%014d", n++);
                ObjectNode use = messages.addObject().put("role", "assistant");
                use.putArray("content").addObject().put("type", "tool_use").put("id", id).put("name", "Read")
                        .putObject("input").put("file_path", workspace + "/" + file);
                ObjectNode result = messages.addObject().put("role", "user");
                result.putArray("content").addObject().put("type", "tool_result").put("tool_use_id", id)
                        .put("content", numbered(Files.readString(file)));
            }
            return Json.MAPPER.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sources that mention no /home path, so another developer's copy of the body differs only in its own paths. */
    private static boolean namesNoHome(Path p) {
        try {
            return !Files.readString(p).contains("/home/");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Claude Code's Read output: "  12\tline". */
    private static String numbered(String text) {
        StringBuilder sb = new StringBuilder(text.length() + text.length() / 8);
        int line = 1;
        for (String l : text.split("\n", -1)) {
            sb.append(line++).append('\t').append(l).append('\n');
        }
        return sb.toString();
    }
}
