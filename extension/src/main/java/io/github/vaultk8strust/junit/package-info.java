/**
 * The JUnit Jupiter adapter: {@link io.github.vaultk8strust.junit.VaultK8sTrust} on a test class, and the qualifier
 * annotations that inject clients, tokens and pods.
 */
package io.github.vaultk8strust.junit;
