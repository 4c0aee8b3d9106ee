/** Operator-supplied rules: keywords as the prefilter, an RE2J pattern in a window around each keyword. */
package dev.sluice.guard.custom;
