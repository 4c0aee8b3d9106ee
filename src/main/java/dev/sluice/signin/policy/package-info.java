/**
 * Policy for signed-in developers: managed settings per group or email domain (checksum, ETag,
 * 304), model allow/deny lists, and the {@code /v1/models} list a caller may use (the configured
 * catalog, or the upstream's list filtered).
 */
package dev.sluice.signin.policy;
