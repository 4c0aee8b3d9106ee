/**
 * Sessions: HS256 session tokens with rotating keys, the live-session store (revocation is removal),
 * the developer's place in the identity model (user, team by group rule, org), the blocklist of
 * disabled developers, and the {@link dev.sluice.authenticate.KeyResolver} that checks a token per
 * request from memory alone.
 */
package dev.sluice.signin.session;
