package dev.sluice.cache.key;

import java.util.Arrays;
import java.util.HashMap;

/**
 * The second look at a tokenized request: what each tape entry means for the key. It walks the
 * Messages structure (top-level fields, system blocks, messages, content blocks, tool results) and
 * flags entries: left out of the key, a tool-use id, the newest user text, text, or a string that
 * stands for a one-text-block array. It also hands the injected Claude Code text to {@link Markers}
 * and notes each message's byte offset.
 *
 * <p>Only structure is read here; string bytes are touched only for a few short prefixes and for the
 * injected blocks the markers live in.
 */
final class RequestShape {
    static final int SKIP = 1;
    static final int TOOL_ID = 2;
    static final int NEWEST = 4;
    static final int TEXT = 8;
    static final int AS_BLOCK = 16;

    private static final int ROLE_OTHER = 0;
    private static final int ROLE_USER = 1;
    private static final int ROLE_ASSISTANT = 2;
    private static final int ROLE_SYSTEM = 3;

    private final Markers markers = new Markers();
    private final HashMap<String, Integer> toolIds = new HashMap<>();
    private int[] flags = new int[1024];
    private int[] ordinal = new int[1024];
    private int[] messageEntry = new int[64];
    private int[] messageRole = new int[64];
    private int[] messageContent = new int[64];
    private int messageCount;
    private int[] messageBlocks = new int[64];
    private int messageBlockCount;
    private int[] breakpoints = new int[24];
    private int breakpointCount;
    private int section;
    private JsonTape tape;
    private KeyRules rules;

    int model = -1;
    int tools = -1;
    int system = -1;
    int messages = -1;
    boolean stream;
    double temperature = Double.NaN;
    boolean newestIsToolResult;
    boolean hasNewestText;
    /** The lowest entry flagged {@link #NEWEST}, or {@link Integer#MAX_VALUE}: everything before it keys the same on every turn. */
    int firstNewest = Integer.MAX_VALUE;
    String error;

    /** Reads the tape of a request body; false (with {@link #error}) when it is not a Messages request object. */
    boolean read(JsonTape tape, KeyRules rules) {
        this.tape = tape;
        this.rules = rules;
        reset(tape.size());
        if (tape.size() == 0 || tape.kind(0) != JsonTape.OBJECT) {
            error = "the body is not a JSON object";
            return false;
        }
        forEachMember(0, this::topMember);
        if (messages < 0 || tape.kind(messages) != JsonTape.ARRAY) {
            error = "the body has no messages array";
            return false;
        }
        newest();
        return error == null;
    }

    private void reset(int entries) {
        if (flags.length < entries) {
            flags = new int[Math.max(entries, flags.length * 2)];
            ordinal = new int[flags.length];
        } else {
            Arrays.fill(flags, 0, entries, 0);
        }
        markers.reset();
        toolIds.clear();
        messageCount = 0;
        messageBlockCount = 0;
        breakpointCount = 0;
        model = tools = system = messages = -1;
        stream = false;
        temperature = Double.NaN;
        newestIsToolResult = false;
        hasNewestText = false;
        firstNewest = Integer.MAX_VALUE;
        error = null;
    }

    int flags(int entry) {
        return flags[entry];
    }

    int ordinal(int entry) {
        return ordinal[entry];
    }

    /** Sections of {@link #breakpointSection}. */
    static final int SECTION_TOP = 0;
    static final int SECTION_TOOLS = 1;
    static final int SECTION_SYSTEM = 2;
    static final int SECTION_MESSAGES = 3;

    int breakpointCount() {
        return breakpointCount;
    }

    /** Entry of the block carrying marker {@code n} (the top-level object for automatic caching). */
    int breakpointBlock(int n) {
        return breakpoints[3 * n];
    }

    /** Entry of marker {@code n}'s value object. */
    int breakpointValue(int n) {
        return breakpoints[3 * n + 1];
    }

    int breakpointSection(int n) {
        return breakpoints[3 * n + 2];
    }

    private void addBreakpoint(int block, int value) {
        if (3 * breakpointCount + 3 > breakpoints.length) {
            breakpoints = Arrays.copyOf(breakpoints, breakpoints.length * 2);
        }
        breakpoints[3 * breakpointCount] = block;
        breakpoints[3 * breakpointCount + 1] = value;
        breakpoints[3 * breakpointCount + 2] = section;
        breakpointCount++;
    }

    Markers markers() {
        return markers;
    }

    int messageCount() {
        return messageCount;
    }

    int messageEntry(int n) {
        return messageEntry[n];
    }

    /** How many content blocks the messages hold (blocks of array contents; a string content is not one). */
    int messageBlockCount() {
        return messageBlockCount;
    }

    /** Entry of content block {@code n}, in prompt order. */
    int messageBlock(int n) {
        return messageBlocks[n];
    }

    private interface MemberVisitor {
        void visit(int name, int value);
    }

    private void forEachMember(int object, MemberVisitor visitor) {
        int end = tape.next(object);
        for (int name = object + 1; name < end; ) {
            int value = name + 1;
            visitor.visit(name, value);
            name = tape.next(value);
        }
    }

    private void topMember(int name, int value) {
        if (tape.textEquals(name, "model")) {
            model = value;
        } else if (tape.textEquals(name, "messages")) {
            messages = value;
            section = SECTION_MESSAGES;
            messages(value);
        } else if (tape.textEquals(name, "system")) {
            system = value;
            section = SECTION_SYSTEM;
            system(value);
        } else if (tape.textEquals(name, "tools")) {
            tools = value;
            section = SECTION_TOOLS;
            if (tape.kind(value) == JsonTape.ARRAY) {
                forEachElement(value, this::tool);
            }
        } else if (tape.textEquals(name, "stream")) {
            flags[name] |= SKIP;
            stream = tape.kind(value) == JsonTape.TRUE;
        } else if (tape.textEquals(name, "metadata")) {
            flags[name] |= SKIP; // who asked does not change the answer
        } else if (tape.textEquals(name, "cache_control")) {
            flags[name] |= SKIP; // how the provider caches does not change the answer
            section = SECTION_TOP;
            if (tape.kind(value) == JsonTape.OBJECT) {
                addBreakpoint(0, value);
            }
        } else if (tape.textEquals(name, "thread") && tape.kind(value) != JsonTape.NULL) {
            // The upstream holds a thread's conversation under the answer's id, in the account that answered: a
            // replayed answer hands its caller an id to continue from that is not theirs, and a continue never repeats.
            error = "a thread request (the upstream holds its conversation)";
        } else if (tape.textEquals(name, "temperature") && tape.kind(value) == JsonTape.NUMBER) {
            temperature = number(value);
        }
    }

    private interface ElementVisitor {
        void visit(int element);
    }

    private void forEachElement(int array, ElementVisitor visitor) {
        int end = tape.next(array);
        for (int e = array + 1; e < end; e = tape.next(e)) {
            visitor.visit(e);
        }
    }

    private void tool(int element) {
        if (tape.kind(element) == JsonTape.OBJECT) {
            forEachMember(element, (name, value) -> {
                if (tape.textEquals(name, "cache_control")) {
                    flags[name] |= SKIP;
                    if (tape.kind(value) == JsonTape.OBJECT) {
                        addBreakpoint(element, value);
                    }
                }
            });
        }
    }

    private void system(int value) {
        if (tape.kind(value) == JsonTape.STRING) {
            flags[value] |= AS_BLOCK | TEXT;
            scan(value);
        } else if (tape.kind(value) == JsonTape.ARRAY) {
            forEachElement(value, e -> block(e, ROLE_SYSTEM, false));
        }
    }

    private void messages(int array) {
        forEachElement(array, this::message);
    }

    private void message(int entry) {
        if (tape.kind(entry) != JsonTape.OBJECT) {
            return;
        }
        int[] roleAndContent = {ROLE_OTHER, -1};
        forEachMember(entry, (name, value) -> {
            if (tape.textEquals(name, "role") && tape.kind(value) == JsonTape.STRING) {
                roleAndContent[0] = tape.textEquals(value, "user") ? ROLE_USER
                        : tape.textEquals(value, "assistant") ? ROLE_ASSISTANT
                        : tape.textEquals(value, "system") ? ROLE_SYSTEM : ROLE_OTHER;
            } else if (tape.textEquals(name, "content")) {
                roleAndContent[1] = value;
            }
        });
        addMessage(entry, roleAndContent[0], roleAndContent[1]);
        int content = roleAndContent[1];
        if (content < 0) {
            return;
        }
        if (tape.kind(content) == JsonTape.STRING) {
            flags[content] |= AS_BLOCK | TEXT;
            if (roleAndContent[0] == ROLE_SYSTEM || tape.textStartsWith(content, "<system-reminder>")) {
                scan(content);
            }
        } else if (tape.kind(content) == JsonTape.ARRAY) {
            int role = roleAndContent[0];
            forEachElement(content, e -> {
                addMessageBlock(e);
                block(e, role, false);
            });
        }
    }

    /** A content block (or a system block); {@code nested} inside a tool result. */
    private void block(int entry, int role, boolean nested) {
        if (tape.kind(entry) != JsonTape.OBJECT) {
            return;
        }
        int type = -1;
        int end = tape.next(entry);
        for (int name = entry + 1; name < end; name = tape.next(name + 1)) {
            if (tape.textEquals(name, "type") && tape.kind(name + 1) == JsonTape.STRING) {
                type = name + 1;
            }
        }
        boolean toolResult = type >= 0 && tape.textEquals(type, "tool_result");
        boolean toolUse = type >= 0 && (tape.textEquals(type, "tool_use") || tape.textEquals(type, "server_tool_use"));
        for (int name = entry + 1; name < end; name = tape.next(name + 1)) {
            int value = name + 1;
            if (tape.textEquals(name, "cache_control")) {
                flags[name] |= SKIP;
                if (tape.kind(value) == JsonTape.OBJECT) {
                    addBreakpoint(entry, value);
                }
            } else if (tape.textEquals(name, "text") && tape.kind(value) == JsonTape.STRING) {
                flags[value] |= TEXT;
                if (role == ROLE_SYSTEM && !nested && rules.has(KeyRule.BILLING_HEADER) && billingHeaderOnly(value)) {
                    flags[entry] |= SKIP;
                } else if (!nested && (role == ROLE_SYSTEM || tape.textStartsWith(value, "<system-reminder>"))) {
                    scan(value);
                }
            } else if ((toolUse && tape.textEquals(name, "id") || tape.textEquals(name, "tool_use_id"))
                    && tape.kind(value) == JsonTape.STRING && rules.has(KeyRule.TOOL_USE_IDS)) {
                flags[value] |= TOOL_ID;
                ordinal[value] = toolOrdinal(value);
            } else if (toolResult && tape.textEquals(name, "content")) {
                if (tape.kind(value) == JsonTape.STRING) {
                    flags[value] |= AS_BLOCK | TEXT;
                } else if (tape.kind(value) == JsonTape.ARRAY) {
                    forEachElement(value, e -> block(e, role, true));
                }
            }
        }
    }

    /** True when the string is Claude Code's billing header and nothing else ({@link BillingHeader}). */
    private boolean billingHeaderOnly(int string) {
        return BillingHeader.only(tape.source(), tape.start(string), tape.end(string));
    }

    private int toolOrdinal(int value) {
        String id = new String(tape.source(), tape.start(value), tape.end(value) - tape.start(value),
                java.nio.charset.StandardCharsets.ISO_8859_1);
        Integer known = toolIds.get(id);
        if (known != null) {
            return known;
        }
        int n = toolIds.size() + 1;
        toolIds.put(id, n);
        return n;
    }

    private void scan(int string) {
        markers.scan(tape.source(), tape.start(string), tape.end(string), rules);
    }

    private void addMessage(int entry, int role, int content) {
        if (messageCount == messageEntry.length) {
            int n = messageCount * 2;
            messageEntry = Arrays.copyOf(messageEntry, n);
            messageRole = Arrays.copyOf(messageRole, n);
            messageContent = Arrays.copyOf(messageContent, n);
        }
        messageEntry[messageCount] = entry;
        messageRole[messageCount] = role;
        messageContent[messageCount] = content;
        messageCount++;
    }

    private void addMessageBlock(int entry) {
        if (tape.kind(entry) != JsonTape.OBJECT) {
            return;
        }
        if (messageBlockCount == messageBlocks.length) {
            messageBlocks = Arrays.copyOf(messageBlocks, messageBlockCount * 2);
        }
        messageBlocks[messageBlockCount++] = entry;
    }

    /**
     * The newest user turn: the last message that is not a system message, when it is the user's.
     * Its text blocks (Claude Code's injected reminders aside) are the newest user text; a turn with
     * a tool result is a tool-result turn.
     */
    private void newest() {
        int m = messageCount - 1;
        while (m >= 0 && messageRole[m] == ROLE_SYSTEM) {
            m--;
        }
        if (m < 0 || messageRole[m] != ROLE_USER || messageContent[m] < 0) {
            return;
        }
        int content = messageContent[m];
        if (tape.kind(content) == JsonTape.STRING) {
            flags[content] |= NEWEST;
            hasNewestText = true;
            firstNewest = Math.min(firstNewest, content);
            return;
        }
        if (tape.kind(content) != JsonTape.ARRAY) {
            return;
        }
        forEachElement(content, block -> {
            if (tape.kind(block) != JsonTape.OBJECT) {
                return;
            }
            int end = tape.next(block);
            int text = -1;
            boolean isText = false;
            for (int name = block + 1; name < end; name = tape.next(name + 1)) {
                if (tape.textEquals(name, "type") && tape.kind(name + 1) == JsonTape.STRING) {
                    isText = tape.textEquals(name + 1, "text");
                    newestIsToolResult |= tape.textEquals(name + 1, "tool_result");
                } else if (tape.textEquals(name, "text") && tape.kind(name + 1) == JsonTape.STRING) {
                    text = name + 1;
                }
            }
            if (isText && text >= 0 && !tape.textStartsWith(text, "<system-reminder>")) {
                flags[text] |= NEWEST;
                hasNewestText = true;
                firstNewest = Math.min(firstNewest, text);
            }
        });
    }

    private double number(int entry) {
        try {
            return Double.parseDouble(new String(tape.source(), tape.start(entry), tape.end(entry) - tape.start(entry),
                    java.nio.charset.StandardCharsets.ISO_8859_1));
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    void trim(int maxEntries) {
        if (flags.length > maxEntries) {
            flags = new int[1024];
            ordinal = new int[1024];
        }
        tape = null;
    }
}
