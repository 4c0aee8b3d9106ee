package dev.sluice.testing;

import java.net.Socket;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * An HTTPS client for a test gateway's self-signed certificate on 127.0.0.1 (loopback only; never outside tests).
 * An extended trust manager, since the JDK wraps a plain one in a host-name check the certificate cannot pass.
 */
public final class TrustAll {
    private TrustAll() {
    }

    /** An HTTP client that trusts the test gateway's certificate. */
    public static HttpClient client() throws Exception {
        return HttpClient.newBuilder().sslContext(context()).connectTimeout(java.time.Duration.ofSeconds(5)).build();
    }

    /** A TLS context that trusts any certificate, for raw sockets and clients of the test's own. */
    public static SSLContext context() throws Exception {
        TrustManager trustAll = new X509ExtendedTrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, new TrustManager[] {trustAll}, new SecureRandom());
        return ssl;
    }
}
