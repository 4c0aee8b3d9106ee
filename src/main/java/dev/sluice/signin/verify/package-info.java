/**
 * The verification page and the OpenID Connect client behind it: authorization code with PKCE (the
 * flow's state, verifier and nonce in the database, so the IdP may send the browser back to any
 * replica), ID tokens checked against the IdP's keys (fetched with Vert.x, refetched on an unknown key
 * id at a bounded rate), email and groups from the ID token or userinfo.
 */
package dev.sluice.signin.verify;
