/**
 * The external policy webhook: a summary of a request (who, model, size, what the scanners found; never the
 * content) POSTed to an operator's service, its verdict read back under one deadline, fail-open or fail-closed.
 */
package dev.sluice.guard.webhook;
