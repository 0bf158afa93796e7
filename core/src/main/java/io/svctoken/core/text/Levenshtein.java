package io.svctoken.core.text;

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
}
