/**
 * The billing group named in request tags (recorded on the exchange as the {@code billing_group}
 * identity tag), and the body edit that removes {@code tags} (and its beta value) before upstreams
 * that reject them.
 */
package dev.sluice.signin.billing;
