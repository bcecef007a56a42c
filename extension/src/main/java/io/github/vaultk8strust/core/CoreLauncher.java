package io.github.vaultk8strust.core;

import io.github.vaultk8strust.ClosableTrustEnvironment;
import io.github.vaultk8strust.EnvironmentLauncher;
import io.github.vaultk8strust.TrustRequest;

/** The core behind {@link io.github.vaultk8strust.TrustEnvironmentBuilder#start()}: resolve, then start privately. */
public final class CoreLauncher implements EnvironmentLauncher {

    @Override
    public ClosableTrustEnvironment start(TrustRequest request) {
        TrustSettings settings = new SettingsResolver(System::getenv, Backends.installed()).resolve(request);
        return DefaultTrustEnvironment.start(settings);
    }
}
