package io.svctoken.core.text;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Similarity {@code 1 - distance / max(length)} (Lucene's LevenshteinDistance), the score Elasticsearch uses for "did you mean". */
public final class Levenshtein {

    private Levenshtein() {
    }

    public static float similarity(String a, String b) {
        if (a.isEmpty() && b.isEmpty()) {
            return 1f;
        }
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return 1f - (float) prev[b.length()] / Math.max(a.length(), b.length());
    }

    /**
     * The candidates Elasticsearch suggests for an unknown name: similarity above 0.5, most similar
     * first, ties by name (its "did you mean" for fields and parameters).
     */
    public static List<String> suggestions(String unknown, Collection<String> candidates) {
        record Scored(float score, String name) {
        }
        List<Scored> scored = new ArrayList<>();
        for (String c : candidates) {
            float s = similarity(unknown, c);
            if (s > 0.5f) {
                scored.add(new Scored(s, c));
            }
        }
        scored.sort((a, b) -> {
            int c = Float.compare(b.score(), a.score());
            return c != 0 ? c : a.name().compareTo(b.name());
        });
        return scored.stream().map(Scored::name).toList();
    }

    /** {@code " did you mean [x]?"}, {@code " did you mean any of [x, y]?"}, or empty. */
    public static String didYouMean(String unknown, Collection<String> candidates) {
        List<String> keys = suggestions(unknown, candidates);
        if (keys.isEmpty()) {
            return "";
        }
        return " did you mean " + (keys.size() == 1 ? "[" + keys.get(0) + "]" : "any of " + keys) + "?";
    }
}
