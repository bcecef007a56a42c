package io.github.vaultk8strust.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Compare a role as written with the role as Vault reads it back, key by key, through the normalisations Vault
 * applies on the way in, so that only a real difference is reported:
 *
 * <ul>
 *   <li>a duration string is stored as seconds ({@code "1h"} reads back {@code 3600}; also {@code "90s"},
 *       {@code "1.5h"}, {@code "7d"}, {@code "3600"});</li>
 *   <li>a string becomes a list: one value ({@code "vault"} reads back {@code ["vault"]}) or comma-separated values,
 *       trimmed ({@code "a, b"} reads back {@code ["a","b"]}); lists are sets to Vault (order and repeats do not
 *       count), policy names compare without case (Vault lowers some), and a CIDR block of one address reads
 *       back as the address ({@code "127.0.0.1/32"} reads back {@code ["127.0.0.1"]});</li>
 *   <li>numbers and booleans written as strings ({@code "3"}, {@code "true"}) read back as numbers and booleans;</li>
 *   <li>an empty value ({@code ""}, {@code []}, {@code {}}, {@code 0}, {@code false}) may read back as nothing;</li>
 *   <li>a deprecated key that Vault maps to its {@code token_} successor ({@code bound_cidrs},
 *       {@code num_uses}) is compared with that successor when Vault reads back only the successor.</li>
 * </ul>
 */
final class RoleReadBack {

    private static final Pattern GO_DURATION = Pattern.compile("(\\d*\\.?\\d*)(ns|us|µs|ms|s|m|h)");
    private static final Set<String> GO_TRUE = Set.of("1", "t", "T", "TRUE", "true", "True");
    private static final Set<String> GO_FALSE = Set.of("0", "f", "F", "FALSE", "false", "False");

    private RoleReadBack() {
    }

    /** One key whose value Vault reads back otherwise than the role wrote it. */
    record Difference(String key, String message) {
    }

    /**
     * Compare the written parameters with the read-back role ({@code data} of {@code GET auth/<path>/role/<name>}).
     *
     * @param skip keys not to compare (those Vault does not accept at all, reported on their own)
     * @param fromFile whether the parameters are a role file's (named so in messages)
     */
    static List<Difference> compare(Map<String, Object> written, JsonNode read, Set<String> skip, boolean fromFile) {
        List<Difference> differences = new ArrayList<>();
        written.forEach((key, value) -> {
            if (value == null || skip.contains(key)) {
                return;
            }
            String readKey = key;
            JsonNode back = read.get(key);
            if ((back == null || back.isNull()) && read.hasNonNull("token_" + key)) {
                readKey = "token_" + key;
                back = read.get(readKey);
            }
            if (!matches(key, value, back)) {
                differences.add(new Difference(key, describe(key, readKey, value, back, written, fromFile)));
            }
        });
        return differences;
    }

    /** Return whether a written value reads back as this (through Vault's normalisations). */
    static boolean matches(String key, Object written, JsonNode back) {
        if (written == null) {
            return true;
        }
        if (back == null || back.isNull() || back.isMissingNode()) {
            return isEmpty(written);
        }
        if (back.isArray()) {
            List<String> list = asList(written);
            List<String> read = new ArrayList<>();
            back.forEach(e -> read.add(e.isTextual() ? e.asText() : e.toString()));
            return list != null && asSet(key, list).equals(asSet(key, read));
        }
        if (back.isNumber()) {
            Optional<BigDecimal> number = number(written);
            return number.isPresent() && number.get().compareTo(back.decimalValue()) == 0;
        }
        if (back.isBoolean()) {
            Optional<Boolean> bool = bool(written);
            return bool.isPresent() && bool.get() == back.booleanValue();
        }
        if (back.isTextual()) {
            return !(written instanceof Map<?, ?>) && !(written instanceof List<?>)
                    && scalar(written).equals(back.asText());
        }
        if (back.isObject()) {
            Map<?, ?> map = asMap(written);
            if (map == null) {
                return false;
            }
            Set<String> keys = new HashSet<>();
            map.forEach((k, v) -> keys.add(String.valueOf(k)));
            Set<String> readKeys = new HashSet<>();
            back.fieldNames().forEachRemaining(readKeys::add);
            return keys.equals(readKeys) && map.entrySet().stream()
                    .allMatch(e -> matches("", e.getValue(), back.get(String.valueOf(e.getKey()))));
        }
        return false;
    }

    /**
     * Return the seconds Vault stores for a duration string: whole seconds ({@code "3600"}), days ({@code "7d"}), or a
     * Go duration ({@code "1h30m"}, {@code "1.5h"}, {@code "90s"}), truncated to whole seconds.
     */
    static OptionalLong seconds(String text) {
        String s = text.strip();
        if (s.matches("\\d+")) {
            return OptionalLong.of(Long.parseLong(s));
        }
        if (s.matches("\\d+d")) {
            return OptionalLong.of(Long.parseLong(s.substring(0, s.length() - 1)) * 86_400);
        }
        if (s.isEmpty() || !s.matches("(" + GO_DURATION.pattern() + ")+")) {
            return OptionalLong.empty();
        }
        BigDecimal nanos = BigDecimal.ZERO;
        Matcher m = GO_DURATION.matcher(s);
        while (m.find()) {
            if (m.group(1).isEmpty() || m.group(1).equals(".")) {
                return OptionalLong.empty();
            }
            long unit = switch (m.group(2)) {
                case "ns" -> 1L;
                case "us", "µs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                default -> 3_600_000_000_000L;
            };
            nanos = nanos.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit)));
        }
        return OptionalLong.of(nanos.divideToIntegralValue(BigDecimal.valueOf(1_000_000_000L)).longValue());
    }

    private static boolean isEmpty(Object value) {
        return value instanceof String s && s.isBlank() || value instanceof List<?> l && l.isEmpty()
                || value instanceof Map<?, ?> m && m.isEmpty() || Boolean.FALSE.equals(value)
                || value instanceof Number n && new BigDecimal(n.toString()).signum() == 0;
    }

    /** A list value as Vault reads one: a list, a comma-separated string, or one scalar; {@code null} for a map. */
    private static List<String> asList(Object value) {
        if (value instanceof List<?> list) {
            return list.stream().filter(v -> v != null).map(RoleReadBack::scalar).toList();
        }
        if (value instanceof Map<?, ?>) {
            return null;
        }
        if (value instanceof String text) {
            return Stream.of(text.split(",")).toList();
        }
        return List.of(scalar(value));
    }

    /** The values of a list as Vault compares them: trimmed, without repeats, in any order. */
    private static Set<String> asSet(String key, List<String> values) {
        return values.stream().map(String::strip).filter(v -> !v.isEmpty()).map(v -> normalise(key, v))
                .collect(Collectors.toSet());
    }

    /**
     * Policy names compare without case (Vault lowers some of them); a CIDR block of one address reads back as the
     * address ({@code 127.0.0.1/32} reads back {@code 127.0.0.1}, {@code ::1/128} {@code ::1}).
     */
    private static String normalise(String key, String value) {
        if (key.endsWith("policies")) {
            return value.toLowerCase(Locale.ROOT);
        }
        if (key.endsWith("cidrs")) {
            return value.contains(":") ? value.replaceFirst("/128$", "") : value.replaceFirst("/32$", "");
        }
        return value;
    }

    private static Optional<BigDecimal> number(Object value) {
        if (value instanceof Number n) {
            return Optional.of(new BigDecimal(n.toString()));
        }
        if (value instanceof String s) {
            try {
                return Optional.of(new BigDecimal(s.strip()));
            } catch (NumberFormatException e) {
                OptionalLong seconds = seconds(s);
                return seconds.isPresent() ? Optional.of(BigDecimal.valueOf(seconds.getAsLong())) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** A boolean as Go's {@code strconv.ParseBool} (and Vault's weak decoding of numbers) reads it. */
    private static Optional<Boolean> bool(Object value) {
        if (value instanceof Boolean b) {
            return Optional.of(b);
        }
        if (value instanceof String s) {
            return GO_TRUE.contains(s.strip()) ? Optional.of(true) : GO_FALSE.contains(s.strip())
                    ? Optional.of(false) : Optional.empty();
        }
        if (value instanceof Number n) {
            return Optional.of(new BigDecimal(n.toString()).signum() != 0);
        }
        return Optional.empty();
    }

    private static Map<?, ?> asMap(Object value) {
        if (value instanceof Map<?, ?> map) {
            return map;
        }
        if (value instanceof String text && text.strip().startsWith("{")) {
            try {
                return VaultApi.JSON.readValue(text, Map.class);
            } catch (JsonProcessingException e) {
                return null;
            }
        }
        return null;
    }

    private static String scalar(Object value) {
        return value instanceof BigDecimal d ? d.toPlainString() : String.valueOf(value);
    }

    private static String describe(String key, String readKey, Object written, JsonNode back, Map<String, Object> all,
                                   boolean fromFile) {
        StringBuilder text = new StringBuilder(fromFile ? "the file says " : "written as ").append(json(written));
        if (back != null && back.isNumber() && written instanceof String s && seconds(s).isPresent()
                && !s.strip().matches("\\d+")) {
            text.append(" (").append(seconds(s).getAsLong()).append(" s)");
        }
        text.append(", Vault reads back ").append(back == null || back.isMissingNode() ? "nothing"
                : back.toString()).append(readKey.equals(key) ? "" : " as " + readKey);
        if (all.containsKey("token_" + key)) {
            text.append(" (Vault takes token_").append(key).append(" when both are given)");
        }
        return text.toString();
    }

    private static String json(Object value) {
        try {
            return VaultApi.JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            return String.valueOf(value);
        }
    }
}
