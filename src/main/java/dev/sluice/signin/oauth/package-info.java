/**
 * The OAuth half of the protocol: RFC 8414 discovery, RFC 8628 device authorization and token
 * polling (grants in the database, so every step may reach another replica), the refresh grant (its
 * {@code invalid_grant} is the deprovisioning hook) and RFC 7009 revocation; bounded form bodies and
 * per-address rate limits on everything a caller controls. Database work runs on worker threads.
 */
package dev.sluice.signin.oauth;
