/**
 * Internal: settings resolution, backend choice, the trust setup (the walkthrough written once), environments and
 * their cache. Not API.
 */
package io.github.vaultk8strust.core;
