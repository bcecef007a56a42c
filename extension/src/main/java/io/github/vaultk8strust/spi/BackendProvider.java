package io.github.vaultk8strust.spi;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Map;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * Plug a backend into the library: one implementation per backend, registered in
 * {@code META-INF/services/io.github.vaultk8strust.spi.BackendProvider}. The core asks it three questions, in this
 * order: can you run here ({@link #probe}), get ready ({@link #prepare}: binaries or images, outside the start-up
 * budget), and start ({@link PreparedBackend#start}, within it). It never imports the core or the settings; the
 * core never names a backend class.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public interface BackendProvider {

    /** Return the name users select this backend by ({@code vaultk8s.backend=<name>}), lower case, e.g. {@code local}. */
    String name();

    /** Return what this backend offers beyond the trust flow, e.g. {@link BackendFeature#PODS}. */
    Set<BackendFeature> features();

    /** Return the rank AUTO tries this backend in among those that can run here, lowest first. */
    int autoRank();

    /** Say, cheaply and without starting anything, whether this backend can run here, and if not why and how to fix it. */
    Availability probe(BackendConfig config);

    /**
     * Return the options that make this backend's environments differ (versions, images, binaries), validated; two
     * environments whose options are equal are interchangeable. Throws {@link BackendConfigException} for bad values.
     */
    Map<String, String> shape(BackendConfig config);

    /** Obtain what the servers need (binaries, images), printing progress on long work; not part of the start-up budget. */
    PreparedBackend prepare(BackendRequest request);
}
