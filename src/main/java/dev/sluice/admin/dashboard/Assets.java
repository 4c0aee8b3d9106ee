package dev.sluice.admin.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * The dashboard's files, read from the jar once at start. Served by name from a fixed list, never by a path taken
 * from the request, so no {@code ..}, encoded slash or absolute path can reach another resource. Each carries its
 * content type (with {@code nosniff}, the browser runs a script only when it says so) and an ETag: browsers revalidate
 * on every load ({@code no-cache}) and get a 304 when nothing changed, so an upgraded gateway never runs old script.
 */
final class Assets {
    /** One file: its bytes, type and validator. */
    record Asset(byte[] bytes, String contentType, String etag) {
    }

    private static final Map<String, String> TYPES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "signin.html", "text/html; charset=utf-8",
            "dom.js", "text/javascript; charset=utf-8",
            "dashboard.js", "text/javascript; charset=utf-8",
            "signin.js", "text/javascript; charset=utf-8",
            "dashboard.css", "text/css; charset=utf-8");

    private final Map<String, Asset> files;

    Assets() {
        java.util.HashMap<String, Asset> loaded = new java.util.HashMap<>();
        TYPES.forEach((name, type) -> {
            byte[] bytes = read("/dashboard/" + name);
            loaded.put(name, new Asset(bytes, type, "\"" + HexFormat.of().formatHex(sha256(bytes), 0, 8) + "\""));
        });
        files = Map.copyOf(loaded);
    }

    /** The named file, or null when the name is not one of ours. */
    Asset get(String name) {
        return files.get(name);
    }

    private static byte[] read(String resource) {
        try (InputStream in = Assets.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("dashboard file " + resource + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("dashboard file " + resource + ": cannot read", e);
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
