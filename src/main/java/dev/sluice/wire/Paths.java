package dev.sluice.wire;

/** URL path spelling the gateway treats as one: {@code /v1/messages/} is {@code /v1/messages}. */
public final class Paths {
    private Paths() {
    }

    /** {@code path} without one trailing slash; a lone {@code /} stays. */
    public static String withoutTrailingSlash(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
