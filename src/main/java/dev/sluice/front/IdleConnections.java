package dev.sluice.front;

import java.util.Iterator;
import java.util.LinkedHashSet;

/**
 * The connections of one event loop that hold a slot without a request on them, oldest first: the ones a new
 * connection may take the place of when the listener is at {@code server.max-connections}. Without this, whoever
 * opened the connections first kept them: a client holding the whole bound with sockets it never uses shut out
 * everybody else for as long as it liked, since it could open a new one as each idle timeout closed one.
 *
 * <p>Connections that never sent a request go first (they are what an idle flood is made of, and nobody loses a
 * kept-alive connection to them), then kept-alive connections idle the longest (a client that finds its idle
 * connection closed opens another; the SDKs retry a request that raced the close).
 *
 * <p>One per event loop and used only on it, so plain collections; every change is O(1).
 */
final class IdleConnections {
    private final LinkedHashSet<ConnectionGuard> fresh = new LinkedHashSet<>();
    private final LinkedHashSet<ConnectionGuard> kept = new LinkedHashSet<>();

    /** A connection opened and has not sent a request yet. */
    void opened(ConnectionGuard c) {
        fresh.add(c);
    }

    /** A kept-alive connection finished a request and waits for the next. */
    void idle(ConnectionGuard c) {
        kept.add(c);
    }

    /** A request began on the connection, or it closed. */
    void busy(ConnectionGuard c) {
        if (!fresh.remove(c)) {
            kept.remove(c);
        }
    }

    /** Takes the connection to close to make room, or null when every connection on this loop has a request on it. */
    ConnectionGuard takeOldest() {
        ConnectionGuard c = first(fresh);
        return c != null ? c : first(kept);
    }

    int size() {
        return fresh.size() + kept.size();
    }

    private static ConnectionGuard first(LinkedHashSet<ConnectionGuard> set) {
        Iterator<ConnectionGuard> it = set.iterator();
        if (!it.hasNext()) {
            return null;
        }
        ConnectionGuard c = it.next();
        it.remove();
        return c;
    }
}
