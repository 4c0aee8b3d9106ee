/**
 * Sign-in for Claude Code's gateway protocol ({@code /login}): a developer signs in once through the
 * organisation's OpenID Connect provider and gets a session token that the gateway treats like a
 * virtual key. {@link dev.sluice.signin.Signin} assembles the parts from the {@code signin:} section
 * and keeps them current ({@code Upkeep}: one background thread for key rotation, replica catch-up and
 * sweeping); {@link dev.sluice.signin.SigninStage} applies model policy, the models list, the billing
 * group and usage headers on model requests. State lives in the database ({@code V3__signin.sql},
 * {@code V7__signin_confirm_and_subjects.sql}), so a restart signs nobody out and replicas on one database
 * share it.
 */
package dev.sluice.signin;
