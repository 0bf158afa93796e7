package io.svctoken.server.gateway.bulk;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/** Test helpers: a sink that collects what is forwarded, and bodies from text. */
final class Bodies {

    private Bodies() {
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** Collects the sink's bytes (copied during the call, as the sink's contract asks). */
    static final class Collected implements Consumer<ByteBuffer> {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int calls;

        @Override
        public void accept(ByteBuffer b) {
            calls++;
            byte[] copy = new byte[b.remaining()];
            b.duplicate().get(copy);
            bytes.writeBytes(copy);
        }

        byte[] toByteArray() {
            return bytes.toByteArray();
        }

        String text() {
            return Bodies.text(toByteArray());
        }
    }
}
