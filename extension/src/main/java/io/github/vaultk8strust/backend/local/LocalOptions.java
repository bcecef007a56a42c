package io.github.vaultk8strust.backend.local;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.github.vaultk8strust.ConfigKeys;
import io.github.vaultk8strust.spi.BackendConfig;
import io.github.vaultk8strust.spi.BackendConfigException;
import io.github.vaultk8strust.support.CacheDir;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import org.apiguardian.api.API;

/**
 * Where the local backend finds its server binaries (explicit paths, the cache, and whether it may download or
 * build them), and whether its kube-apiserver serves every API group ({@link ConfigKeys#LOCAL_ALL_API_GROUPS_KEY}).
 */
@API(status = INTERNAL, since = "0.1")
public record LocalOptions(Map<ServerBinary, Path> explicitBinaries, Path cacheDir, boolean download, boolean build,
                           boolean allApiGroups) {

    public LocalOptions {
        explicitBinaries = Map.copyOf(explicitBinaries);
    }

    /** Read the options from the configuration; bad values throw {@link BackendConfigException}. */
    public static LocalOptions from(BackendConfig config) {
        Map<ServerBinary, Path> explicit = new EnumMap<>(ServerBinary.class);
        for (ServerBinary binary : ServerBinary.values()) {
            config.get(binary.settingKey()).filter(v -> !v.isBlank()).ifPresent(v -> explicit.put(binary, Path.of(v)));
        }
        return new LocalOptions(explicit, CacheDir.resolve(config.get(ConfigKeys.CACHE_DIR_KEY)),
                config.flag(ConfigKeys.DOWNLOAD_KEY, true), config.flag(ConfigKeys.BUILD_KEY, true),
                config.flag(ConfigKeys.LOCAL_ALL_API_GROUPS_KEY, false));
    }
}
