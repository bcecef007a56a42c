/**
 * Internal helpers shared by the core and the backends. Not API.
 */
package io.github.vaultk8strust.support;
