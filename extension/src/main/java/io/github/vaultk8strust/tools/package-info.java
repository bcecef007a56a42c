/**
 * Command-line tools, e.g. {@link io.github.vaultk8strust.tools.OfflineBundle} for offline machines.
 */
package io.github.vaultk8strust.tools;
