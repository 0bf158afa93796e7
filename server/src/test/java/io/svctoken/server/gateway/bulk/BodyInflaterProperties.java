package io.svctoken.server.gateway.bulk;

import io.svctoken.server.http.EsException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Whatever the pieces a body arrives in, the inflater gives back exactly what was compressed, in bounded pieces. */
class BodyInflaterProperties {

    @Property(tries = 200)
    void inflatesGzipAndDeflateWhateverThePieces(@ForAll("bodies") byte[] plain, @ForAll("encodings") String encoding,
                                                   @ForAll @IntRange(min = 1, max = 5000) int piece, @ForAll @IntRange(min = 1, max = 3) int members)
            throws IOException {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (int m = 0; m < (encoding.equals("gzip") ? members : 1); m++) {
            compressed.write(compress(encoding, plain));
            expected.write(plain);
        }

        byte[] got = inflate(encoding, compressed.toByteArray(), piece);

        assertThat(got).isEqualTo(expected.toByteArray());
    }

    @Property(tries = 100)
    void aCutOrAlteredBodyIsA400NeverAnotherException(@ForAll("bodies") byte[] plain, @ForAll("encodings") String encoding,
                                                        @ForAll @IntRange(min = 0, max = 10_000) int at, @ForAll boolean cut) throws IOException {
        byte[] body = compress(encoding, plain);
        int i = at % body.length;
        byte[] bad = cut ? Arrays.copyOf(body, i) : body.clone();
        if (!cut) {
            bad[i] ^= 0x5a;
        }
        try {
            byte[] got = inflate(encoding, bad, 777);
            // a flipped bit the format cannot see (a raw deflate's stored block, a gzip header's unused byte) may inflate
            assertThat(cut).isFalse();
            assertThat(got.length).isLessThanOrEqualTo(plain.length * 2 + 100);
        } catch (EsException e) {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.type()).isEqualTo("parse_exception");
            assertThat(e.getMessage()).startsWith("the [" + (encoding.startsWith("deflate") ? "deflate" : encoding) + "] request body cannot be decoded: ");
        }
    }

    @Property(tries = 20)
    void aHighlyCompressedBodyComesOutInBoundedPieces(@ForAll @IntRange(min = 1, max = 8192) int piece) throws IOException {
        byte[] zeros = new byte[4 * 1024 * 1024];
        byte[] gz = compress("gzip", zeros);
        int[] largest = {0};
        long[] total = {0};
        BodyInflater in = BodyInflater.of("gzip", b -> {
            largest[0] = Math.max(largest[0], b.remaining());
            total[0] += b.remaining();
        });
        for (int i = 0; i < gz.length; i += piece) {
            in.feed(ByteBuffer.wrap(gz, i, Math.min(piece, gz.length - i)));
        }
        in.end();

        assertThat(total[0]).isEqualTo(zeros.length);
        assertThat(largest[0]).isLessThanOrEqualTo(BodyInflater.PIECE);
    }

    @Property(tries = 5)
    void anEncodingItCannotReadIsNull(@ForAll("unknown") String encoding) {
        assertThat(BodyInflater.of(encoding, b -> { })).isNull();
    }

    @Provide
    Arbitrary<byte[]> bodies() {
        Arbitrary<byte[]> text = Arbitraries.strings().withChars("{}\":,abc\n 0123").ofMinLength(1).ofMaxLength(20_000)
                .map(String::getBytes);
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(5_000);
        return Arbitraries.oneOf(text, random);
    }

    @Provide
    Arbitrary<String> encodings() {
        return Arbitraries.of("gzip", "deflate", "deflate-raw");
    }

    @Provide
    Arbitrary<String> unknown() {
        return Arbitraries.of("br", "zstd", "compress", "gzip2");
    }

    private static byte[] compress(String encoding, byte[] plain) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (encoding.equals("gzip")) {
            try (GZIPOutputStream z = new GZIPOutputStream(out)) {
                z.write(plain);
            }
        } else {
            Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, encoding.equals("deflate-raw"));
            try (DeflaterOutputStream z = new DeflaterOutputStream(out, d)) {
                z.write(plain);
            }
            d.end();
        }
        return out.toByteArray();
    }

    private static byte[] inflate(String encoding, byte[] body, int piece) {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        BodyInflater in = BodyInflater.of(encoding.startsWith("deflate") ? "deflate" : encoding, b -> {
            byte[] copy = new byte[b.remaining()];
            b.get(copy);
            got.writeBytes(copy);
        });
        for (int i = 0; i < body.length; i += piece) {
            in.feed(ByteBuffer.wrap(body, i, Math.min(piece, body.length - i)));
        }
        in.end();
        return got.toByteArray();
    }
}
