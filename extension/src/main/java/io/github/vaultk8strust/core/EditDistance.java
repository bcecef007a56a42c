package io.github.vaultk8strust.core;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;
import java.util.Set;

/**
 * The nearest valid name for a mistyped one, by edit distance (optimal string alignment: insertions, deletions,
 * substitutions and swaps of two neighbours each count 1), so that {@code audiences} suggests {@code audience} and
 * {@code bound_audience} suggests {@code bound_audiences}.
 */
final class EditDistance {

    private EditDistance() {
    }

    /** Return the edit distance between two strings. */
    static int between(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    /**
     * Return the candidate nearest to {@code name}, if one is near enough to be a likely typo: at most 3 edits, and
     * at most half the name's length (so that a short unrelated name suggests nothing). Ties go to a candidate that
     * is not deprecated, then to the alphabetically first.
     *
     * @param deprecated the candidates Vault marks deprecated (still valid, but not the first choice)
     */
    static Optional<String> nearest(String name, Collection<String> candidates, Set<String> deprecated) {
        int limit = Math.min(3, Math.max(1, name.length() / 2));
        return candidates.stream().filter(c -> !c.equals(name))
                .filter(c -> between(name, c) <= limit)
                .min(Comparator.<String>comparingInt(c -> between(name, c))
                        .thenComparing(deprecated::contains)
                        .thenComparing(Comparator.naturalOrder()));
    }
}
