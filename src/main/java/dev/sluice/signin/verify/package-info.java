/**
 * The verification page and the OpenID Connect client behind it: authorization code with PKCE,
 * ID tokens checked against the IdP's keys (fetched with Vert.x, refetched on an unknown key id at a
 * bounded rate), email and groups from the ID token or userinfo.
 */
package dev.sluice.signin.verify;
