package dev.sluice.guard.engine;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** The JSON keys of the Messages shape the walker cares about, as small ids; every other key is {@link #OTHER}. */
final class Keys {
    static final int OTHER = 0;
    static final int MESSAGES = 1;
    static final int SYSTEM = 2;
    static final int TOOLS = 3;
    static final int CONTENT = 4;
    static final int ROLE = 5;
    static final int TYPE = 6;
    static final int TEXT = 7;
    static final int INPUT = 8;
    static final int SOURCE = 9;
    static final int DATA = 10;
    static final int SIGNATURE = 11;
    static final int ID = 12;
    static final int TOOL_USE_ID = 13;
    static final int CACHE_CONTROL = 14;
    static final int MEDIA_TYPE = 15;

    private static final String[] NAMES = {"", "messages", "system", "tools", "content", "role", "type", "text", "input",
        "source", "data", "signature", "id", "tool_use_id", "cache_control", "media_type"};
    private static final byte[][] BYTES = new byte[NAMES.length][];
    /** Ids of the known keys by length, so a lookup compares at most a few candidates. */
    private static final int[][] BY_LENGTH = new int[16][];

    static {
        for (int i = 0; i < NAMES.length; i++) {
            BYTES[i] = NAMES[i].getBytes(StandardCharsets.US_ASCII);
        }
        for (int len = 0; len < BY_LENGTH.length; len++) {
            int[] ids = new int[0];
            for (int i = 1; i < NAMES.length; i++) {
                if (BYTES[i].length == len) {
                    ids = Arrays.copyOf(ids, ids.length + 1);
                    ids[ids.length - 1] = i;
                }
            }
            BY_LENGTH[len] = ids;
        }
    }

    private Keys() {
    }

    /** The id of the key whose raw bytes (inside the quotes) are {@code b[from, to)}. */
    static int of(byte[] b, int from, int to) {
        int len = to - from;
        if (len >= BY_LENGTH.length) {
            return OTHER;
        }
        for (int id : BY_LENGTH[len]) {
            if (same(b, from, BYTES[id])) {
                return id;
            }
        }
        return OTHER;
    }

    /**
     * True when {@code b} holds {@code name} from {@code from}. A plain loop, first byte first: the names are a few bytes
     * and most keys differ at once, where {@code Arrays.equals} on ranges paid its range checks and a call per key
     * (3% of a whole-body scan, async-profiler, 2026-11-30).
     */
    private static boolean same(byte[] b, int from, byte[] name) {
        for (int i = 0; i < name.length; i++) {
            if (b[from + i] != name[i]) {
                return false;
            }
        }
        return true;
    }

    static String name(int id) {
        return NAMES[id];
    }
}
