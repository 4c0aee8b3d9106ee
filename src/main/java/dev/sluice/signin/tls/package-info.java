/**
 * TLS for the front ({@code server.tls}): the operator's PEM certificate, or a self-signed one for a
 * local trial, resolved once per process, with the SHA-256 fingerprint the CLI shows; HTTP/2 by ALPN.
 */
package dev.sluice.signin.tls;
