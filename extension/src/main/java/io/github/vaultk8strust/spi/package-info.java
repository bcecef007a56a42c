/**
 * The backend SPI: implement {@link io.github.vaultk8strust.spi.BackendProvider} and register it with {@link
 * java.util.ServiceLoader} to add a backend (see ARCHITECTURE.md).
 */
package io.github.vaultk8strust.spi;
