package dev.sluice.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class FailureTextTest {
    @Test
    void aWrappedTlsFailureShowsTheReasonBeneathIt() {
        SSLHandshakeException root = new SSLHandshakeException("PKIX path building failed: unable to find valid certification path");
        Exception wrapped = new Exception("Failed to create SSL connection", new RuntimeException(root.getMessage(), root));
        assertThat(FailureText.of(wrapped)).isEqualTo("Failed to create SSL connection: RuntimeException PKIX path building "
                + "failed: unable to find valid certification path");
    }

    @Test
    void aPlainFailureReadsAsBefore() {
        assertThat(FailureText.of(new java.net.ConnectException("Connection refused"))).isEqualTo("Connection refused");
        assertThat(FailureText.of(new IllegalStateException())).isEqualTo("IllegalStateException");
    }

    @Test
    void aDeepOrLongChainIsBounded() {
        Throwable t = new RuntimeException("x".repeat(500));
        for (int i = 0; i < 50; i++) {
            t = new RuntimeException("level " + i, t);
        }
        String text = FailureText.of(t);
        assertThat(text).hasSizeLessThanOrEqualTo(601).startsWith("level 49: RuntimeException level 48");
    }
}
