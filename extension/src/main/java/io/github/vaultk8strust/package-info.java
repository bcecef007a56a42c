/**
 * The JUnit-free API: start an environment with {@link io.github.vaultk8strust.TrustEnvironment#builder()}, use it
 * through {@link io.github.vaultk8strust.TrustEnvironment}, {@link io.github.vaultk8strust.VaultSession} and {@link
 * io.github.vaultk8strust.ServiceAccountJwt}. Configuration keys are in {@link io.github.vaultk8strust.ConfigKeys}.
 */
package io.github.vaultk8strust;
