package io.svctoken.core.hash;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Loads {@code hash-vectors.txt} (generated once by {@code generate_vectors.py}, committed next to it). */
final class HashVectors {

    static final String RESOURCE = "hash-vectors.txt";

    /** One line of the vector file. */
    record Vector(int line, String expectedName, String password, String hash) {

        /** PBKDF2 iteration count, or 0 for the other algorithms. */
        int pbkdf2Iterations() {
            if (!hash.startsWith("{PBKDF2")) {
                return 0;
            }
            int start = hash.indexOf('}') + 1;
            return Integer.parseInt(hash.substring(start, hash.indexOf('$', start)));
        }

        @Override
        public String toString() {
            String shown = hash.length() > 24 ? hash.substring(0, 24) + "…" : hash;
            return "line " + line + " " + expectedName + " " + shown;
        }
    }

    private HashVectors() {
    }

    static List<Vector> load() {
        try (InputStream in = HashVectors.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + RESOURCE);
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            List<Vector> out = new ArrayList<>();
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                if (f.length != 3) {
                    throw new IllegalStateException(RESOURCE + ":" + number + ": expected 3 TAB-separated fields");
                }
                out.add(new Vector(number, f[0], f[1], f[2]));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
