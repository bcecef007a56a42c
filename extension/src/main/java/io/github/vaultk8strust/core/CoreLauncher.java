package io.github.vaultk8strust.core;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.github.vaultk8strust.ClosableTrustEnvironment;
import io.github.vaultk8strust.EnvironmentLauncher;
import io.github.vaultk8strust.TrustRequest;
import org.apiguardian.api.API;

/** The core behind {@link io.github.vaultk8strust.TrustEnvironmentBuilder#start()}: resolve, then start privately. */
@API(status = INTERNAL, since = "0.1")
public final class CoreLauncher implements EnvironmentLauncher {

    @Override
    public ClosableTrustEnvironment start(TrustRequest request) {
        TrustSettings settings = new SettingsResolver(System::getenv, Backends.installed()).resolve(request);
        return DefaultTrustEnvironment.start(settings);
    }
}
