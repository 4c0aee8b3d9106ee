package dev.sluice.front;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.unix.Errors;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** A taken port is recognised whichever socket layer reports it: the JDK's exception or a native transport's errno. */
class AddressInUseTest {

    @Test
    void aListenOnATakenPortIsRecognisedOnTheTransportInUse() throws Exception {
        Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Throwable failure = vertx.createHttpServer().requestHandler(r -> r.response().end())
                    .listen(taken.getLocalPort(), "127.0.0.1")
                    .toCompletionStage().toCompletableFuture().handle((s, e) -> e).get();
            assertThat(failure).as("the listen must fail").isNotNull();
            assertThat(AddressInUse.causes(failure)).as(vertx.isNativeTransportEnabled() + ": " + failure).isTrue();
        } finally {
            vertx.close().await();
        }
    }

    @Test
    void theJdksAndNettysWordsForIt() {
        assertThat(AddressInUse.causes(new IllegalStateException(new BindException("Address already in use")))).isTrue();
        assertThat(AddressInUse.causes(new Errors.NativeIoException("bind(..)", -98))).isTrue();
        assertThat(AddressInUse.causes(new Errors.NativeIoException("bind(..)", -13))).as("EACCES is another failure").isFalse();
        assertThat(AddressInUse.causes(new IOException("Address already in use"))).isFalse();
    }
}
