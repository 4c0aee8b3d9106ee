/**
 * The sign-in tables' transactions: reads and single statements on a pooled connection, and the
 * versioned writes that let every replica catch up with one indexed query (see {@link
 * dev.sluice.signin.store.SigninDb#versioned}). Blocking JDBC: callers run it on worker threads or the
 * sign-in upkeep thread, never on an event loop.
 */
package dev.sluice.signin.store;
