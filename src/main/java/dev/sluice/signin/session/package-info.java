/**
 * Sessions: HS256 session tokens with rotating keys shared through the database, the sessions and
 * their refresh tokens (durable in {@code signin_sessions}, mirrored in memory and caught up from the
 * other replicas' versioned writes every sync period), the developer's place in the identity model
 * (user, team by group rule, org), the blocklist of disabled developers, and the {@link
 * dev.sluice.authenticate.KeyResolver} that checks a token per request from memory alone.
 */
package dev.sluice.signin.session;
