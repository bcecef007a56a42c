package io.github.vaultk8strust.core;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.github.vaultk8strust.VaultK8sTrustConfigurationException;
import io.github.vaultk8strust.VaultK8sTrustException;
import io.github.vaultk8strust.spi.Availability;
import io.github.vaultk8strust.spi.BackendConfig;
import io.github.vaultk8strust.spi.BackendFeature;
import io.github.vaultk8strust.spi.BackendProvider;
import io.github.vaultk8strust.support.Progress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apiguardian.api.API;

/**
 * The backends on the class path ({@link ServiceLoader} of {@link BackendProvider}) and the choice among them. AUTO
 * picks by need: a backend that runs pods when the tests need pods, otherwise the lowest-ranked backend that can run
 * here. The choice and its reason are printed once per JVM.
 */
@API(status = INTERNAL, since = "0.1")
public final class Backends {

    private static final Set<String> ANNOUNCED = ConcurrentHashMap.newKeySet();

    private final List<BackendProvider> providers;

    /** Use these providers (tests), in rank order. */
    public Backends(List<BackendProvider> providers) {
        List<BackendProvider> sorted = new ArrayList<>(providers);
        sorted.sort(Comparator.comparingInt(BackendProvider::autoRank).thenComparing(BackendProvider::name));
        this.providers = List.copyOf(sorted);
    }

    /** Return the providers registered on the library's class path. */
    public static Backends installed() {
        List<BackendProvider> found = new ArrayList<>();
        ServiceLoader.load(BackendProvider.class, Backends.class.getClassLoader()).forEach(found::add);
        if (found.isEmpty()) {
            throw new VaultK8sTrustException("No backend is registered (META-INF/services/"
                    + BackendProvider.class.getName() + " is missing): the vault-k8s-trust jar is incomplete.");
        }
        return new Backends(found);
    }

    /** Return the provider with this name. */
    public Optional<BackendProvider> named(String name) {
        return providers.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** Return the names of all providers, in rank order. */
    public List<String> names() {
        return providers.stream().map(BackendProvider::name).toList();
    }

    /** A chosen backend and why. */
    public record Choice(BackendProvider provider, String reason) {
    }

    /**
     * Choose the backend: the one named, or for {@code auto} the one the need and this machine allow.
     *
     * @param where what the user wrote for the backend, with its value, for error messages
     */
    public Choice choose(String requested, boolean needsPods, BackendConfig config, String where) {
        if (!requested.equals("auto")) {
            BackendProvider provider = named(requested).orElseThrow(() -> new VaultK8sTrustConfigurationException(
                    where + " names backend \"" + requested + "\", which is not on the class path; accepted: auto, "
                            + String.join(", ", names())));
            return new Choice(provider, "requested");
        }
        List<String> refusals = new ArrayList<>();
        for (BackendProvider provider : providers) {
            if (needsPods && !provider.features().contains(BackendFeature.PODS)) {
                refusals.add(provider.name() + ": runs no pods");
                continue;
            }
            Availability availability = provider.probe(config);
            if (availability.available()) {
                String reason = "backend AUTO: " + provider.name() + " (" + availability.reason()
                        + (needsPods ? "; the tests need pods" : "") + (refusals.isEmpty() ? ""
                        : "; passed over: " + String.join("; ", refusals)) + ")";
                if (ANNOUNCED.add(reason)) {
                    Progress.say(reason);
                }
                return new Choice(provider, reason);
            }
            refusals.add(provider.name() + ": " + availability.reason());
        }
        throw new VaultK8sTrustException("backend AUTO found no backend that can run here"
                + (needsPods ? " and runs pods (the tests need pods)" : "") + ":\n  " + String.join("\n  ", refusals));
    }

    /** Return the probe answers of all providers, for diagnostics. */
    public Map<String, Availability> probeAll(BackendConfig config) {
        Map<String, Availability> answers = new java.util.LinkedHashMap<>();
        providers.forEach(p -> answers.put(p.name(), p.probe(config)));
        return answers;
    }
}
