package dev.sluice.front;

import io.netty.channel.unix.Errors;
import java.net.BindException;

/**
 * Whether a failed listen failed because its address is taken. Java NIO says so with a {@link BindException}; Netty's
 * native transports (io_uring, where the kernel allows it) with their own {@code IOException} carrying the errno, so a
 * check for the JDK's type alone missed it and a port conflict reached the operator as "bind(..) failed with
 * error(-98)" instead of the sentence that names the port.
 */
public final class AddressInUse {
    /** Linux's {@code EADDRINUSE}, as Netty's native exceptions carry it (negated). Native transports are Linux only. */
    private static final int EADDRINUSE_NEGATIVE = -98;

    private AddressInUse() {
    }

    /** True when {@code failure} or one of its causes says the address is already in use. */
    public static boolean causes(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof BindException
                    || t instanceof Errors.NativeIoException n && n.expectedErr() == EADDRINUSE_NEGATIVE) {
                return true;
            }
        }
        return false;
    }
}
