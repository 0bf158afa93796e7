package io.svctoken.bench;

import io.svctoken.core.token.TokenId;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * {@code java io.svctoken.bench.Bearers <ns/svc> <tokenName> <count>}: prints {@code count} bearer values
 * for that token, each with a different random (so wrong) 22-character secret. A wrong secret never
 * hits the cache and costs a full verification of the stored hash.
 */
public final class Bearers {

    private Bearers() {
    }

    public static void main(String[] args) throws IOException {
        TokenId id = TokenId.of(args[0], args[1]);
        int count = Integer.parseInt(args[2]);
        SecureRandom r = new SecureRandom();
        BufferedWriter w = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.US_ASCII));
        byte[] b = new byte[16];
        for (int i = 0; i < count; i++) {
            r.nextBytes(b);
            w.write(BenchDb.bearer(id, Base64.getUrlEncoder().withoutPadding().encodeToString(b)));
            w.newLine();
        }
        w.flush();
    }
}
