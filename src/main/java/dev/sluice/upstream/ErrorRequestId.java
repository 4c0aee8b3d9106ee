package dev.sluice.upstream;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.sluice.wire.Json;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;

/**
 * An upstream error relayed to the client names the gateway's request id, not the upstream's: the developer quotes
 * the {@code request_id} Claude Code shows them, and the platform team finds the gateway's id in its ledger and logs.
 * The upstream's own id (what its provider's support asks for) goes on a response header and into the log.
 *
 * @param body     the error body to relay
 * @param upstream the upstream's request id it carried, or null when it carried none
 */
record ErrorRequestId(Buffer body, String upstream) {
    static final String HEADER = "x-sluice-upstream-request-id";
    /** A longer value is not an id (and is not copied into a header). */
    private static final int MAX_ID = 200;

    /**
     * {@code body} with its top-level string {@code request_id} replaced by {@code ours}, or ours added when a JSON
     * object has none; unchanged when it is not a JSON object.
     */
    static ErrorRequestId ours(Buffer body, String ours) {
        byte[] bytes = body.getBytes();
        try (JsonParser p = Json.FACTORY.createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return new ErrorRequestId(body, null);
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if ("request_id".equals(name) && value == JsonToken.VALUE_STRING) {
                    String theirs = p.getText();
                    int start = (int) p.currentTokenLocation().getByteOffset();
                    int end = (int) p.currentLocation().getByteOffset();
                    if (start < 0 || end <= start || end > bytes.length || bytes[start] != '"' || bytes[end - 1] != '"') {
                        return new ErrorRequestId(body, null);
                    }
                    Buffer out = Buffer.buffer(bytes.length + ours.length());
                    out.appendBytes(bytes, 0, start).appendString("\"" + ours + "\"", "UTF-8")
                            .appendBytes(bytes, end, bytes.length - end);
                    return new ErrorRequestId(out, theirs.length() <= MAX_ID && printable(theirs) ? theirs : null);
                }
                p.skipChildren();
            }
            if (p.currentToken() == JsonToken.END_OBJECT) {
                // An envelope without an id (a self-hosted server, a proxy): the client still gets one to quote.
                int close = (int) p.currentTokenLocation().getByteOffset();
                if (close > 0 && close < bytes.length && bytes[close] == '}') {
                    boolean empty = p.currentTokenLocation().getByteOffset() == firstNonSpaceAfterOpen(bytes);
                    Buffer out = Buffer.buffer(bytes.length + ours.length() + 16);
                    out.appendBytes(bytes, 0, close).appendString((empty ? "" : ",") + "\"request_id\":\"" + ours + "\"", "UTF-8")
                            .appendBytes(bytes, close, bytes.length - close);
                    return new ErrorRequestId(out, null);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not a JSON object: nothing to replace.
        }
        return new ErrorRequestId(body, null);
    }

    /** The offset of the first non-blank byte after the opening brace. */
    private static int firstNonSpaceAfterOpen(byte[] b) {
        int i = 0;
        while (i < b.length && b[i] != '{') {
            i++;
        }
        i++;
        while (i < b.length && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t')) {
            i++;
        }
        return i;
    }

    private static boolean printable(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "ErrorRequestId[" + body.length() + " bytes, upstream=" + upstream + "]";
    }
}
