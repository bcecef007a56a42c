/**
 * The verification toolkit for CI jobs that prove a trust: capability assertions, policy matrices as data, and
 * adversarial tokens.
 */
package io.github.vaultk8strust.verify;
