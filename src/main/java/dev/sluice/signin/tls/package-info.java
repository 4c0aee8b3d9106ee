/** TLS for the front: the operator's PEM certificate, or a self-signed one for a local trial, with the SHA-256 fingerprint the CLI shows. */
package dev.sluice.signin.tls;
