package io.github.vaultk8strust.spi;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.github.vaultk8strust.ConfigKeys;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apiguardian.api.API;

/**
 * Look up a configuration key with the library's layering already applied: a value given in code (annotation
 * attribute or builder), then a configuration parameter or system property, then an environment variable with the
 * mechanical name ({@code vaultk8s.k3s.image} becomes {@code VAULTK8S_K3S_IMAGE}). Values are trimmed.
 *
 * <p>The default methods are the library's one typed settings reader: booleans, whole numbers, enums, durations,
 * image names and lists, each refusing a value it cannot use with one message format,
 * {@code <what the user wrote> <what is wrong>; <what is accepted>}, e.g.
 * {@code Environment variable VAULTK8S_K3S_PRIVILEGED = "yes" is not valid; accepted: true, false}.
 */
@FunctionalInterface
@API(status = EXPERIMENTAL, since = "0.1")
public interface BackendConfig {

    /** Image references as Docker takes them: {@code [registry[:port]/]repository[:tag][@sha256:digest]}. */
    Pattern IMAGE = Pattern.compile("[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?"
            + "(/[a-z0-9]+([._-]+[a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?");

    /** Return the value of the key, if set anywhere. */
    Optional<String> get(String key);

    /**
     * Say what the user wrote for the key, with its value: where it was set ({@code @VaultK8sTrust(k3sImage = "x")},
     * {@code Configuration parameter vaultk8s.k3s.image = "x"}, {@code Environment variable VAULTK8S_K3S_IMAGE = "x"}).
     * For a key set nowhere, where it may be set. Implementations that know the layers name the one that answered;
     * this default names the configuration parameter and its environment variable.
     */
    default String describe(String key) {
        String where = "Configuration parameter " + key + " (or environment variable "
                + ConfigKeys.environmentVariable(key) + ")";
        return get(key).map(v -> where + " = \"" + v + "\"").orElse(where);
    }

    /** Return the exception for a value that cannot work, in the one format: {@code describe(key) + " " + problem}. */
    default BackendConfigException invalid(String key, String problem) {
        return new BackendConfigException(describe(key) + " " + problem);
    }

    /** Return the key's value when it is set and not blank. */
    default Optional<String> value(String key) {
        return get(key).map(String::trim).filter(v -> !v.isEmpty());
    }

    /** Read {@code true} or {@code false} (any case); anything else is refused. */
    default boolean flag(String key, boolean defaultValue) {
        return value(key).map(v -> {
            if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
                return Boolean.parseBoolean(v);
            }
            throw invalid(key, "is not valid; accepted: true, false");
        }).orElse(defaultValue);
    }

    /** Read a whole number no smaller than {@code min}. */
    default int integer(String key, int min, int defaultValue) {
        return value(key).map(v -> {
            try {
                int n = Integer.parseInt(v);
                if (n >= min) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // refused below
            }
            throw invalid(key, "is not valid; use a whole number, " + min + " or more");
        }).orElse(defaultValue);
    }

    /**
     * Read a constant of the enum by its name in any case, {@code -} standing for {@code _} ({@code in-cluster} for
     * {@code IN_CLUSTER}); a constant named {@code DEFAULT} (the annotations' "not set") is never accepted.
     */
    default <E extends Enum<E>> Optional<E> choice(String key, Class<E> type) {
        return value(key).map(v -> {
            String name = v.replace('-', '_');
            for (E constant : type.getEnumConstants()) {
                if (constant.name().equalsIgnoreCase(name) && !constant.name().equals("DEFAULT")) {
                    return constant;
                }
            }
            throw invalid(key, "is not valid; accepted: " + Arrays.stream(type.getEnumConstants()).map(Enum::name)
                    .filter(n -> !n.equals("DEFAULT")).map(n -> n.toLowerCase(Locale.ROOT).replace('_', '-'))
                    .collect(Collectors.joining(", ")));
        });
    }

    /**
     * Read a duration: {@code 90s}, {@code 2m}, {@code 1h}, {@code 500ms}, a number of seconds, or ISO-8601
     * ({@code PT2M}); it must be positive and at least {@code min}.
     */
    default Optional<Duration> duration(String key, Duration min) {
        return value(key).map(v -> {
            Duration d = parseDuration(v);
            if (d == null || d.isZero() || d.isNegative()) {
                throw invalid(key, "is not a positive duration; use e.g. \"90s\", \"2m\", \"1500ms\", a number of "
                        + "seconds, or ISO-8601 such as \"PT2M\"");
            }
            if (d.compareTo(min) < 0) {
                throw invalid(key, "is below the minimum of " + (min.toMillis() % 1000 == 0 ? min.toSeconds() + " s"
                        : min.toMillis() + " ms"));
            }
            return d;
        });
    }

    /** Read an image reference ({@code [registry/]repository[:tag][@digest]}). */
    default String image(String key, String defaultValue) {
        return value(key).map(v -> checkImage(key, v, defaultValue)).orElse(defaultValue);
    }

    /** Read a comma-separated list; blank items are dropped. */
    default List<String> list(String key) {
        return value(key).map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(i -> !i.isEmpty()).toList())
                .orElse(List.of());
    }

    /** Check one image reference read from the key (a whole value or an item of a list). */
    default String checkImage(String key, String image, String example) {
        if (!IMAGE.matcher(image).matches()) {
            throw invalid(key, (get(key).filter(v -> v.trim().equals(image)).isPresent() ? "is not an image name"
                    : "names \"" + image + "\", which is not an image name") + "; use [registry/]repository[:tag]"
                    + "[@digest], e.g. \"" + example + "\" or \"mirror.example.com/" + example + "\"");
        }
        return image;
    }

    /** Parse the duration forms {@link #duration} accepts; {@code null} when the text is none of them. */
    static Duration parseDuration(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        try {
            if (v.startsWith("pt")) {
                return Duration.parse(v.toUpperCase(Locale.ROOT));
            } else if (v.matches("\\d+")) {
                return Duration.ofSeconds(Long.parseLong(v));
            } else if (v.matches("\\d+ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            } else if (v.matches("\\d+[smh]")) {
                long n = Long.parseLong(v.substring(0, v.length() - 1));
                return switch (v.charAt(v.length() - 1)) {
                    case 's' -> Duration.ofSeconds(n);
                    case 'm' -> Duration.ofMinutes(n);
                    default -> Duration.ofHours(n);
                };
            }
        } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
            return null;
        }
        return null;
    }
}
