/**
 * Sign-in for Claude Code's gateway protocol ({@code /login}): a developer signs in once through the
 * organisation's OpenID Connect provider and gets a session token that the gateway treats like a
 * virtual key. {@link dev.sluice.signin.Signin} assembles the parts from the {@code signin:} section;
 * {@link dev.sluice.signin.SigninStage} applies model policy and usage headers on model requests.
 */
package dev.sluice.signin;
