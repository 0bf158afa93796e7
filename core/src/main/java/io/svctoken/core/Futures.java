package io.svctoken.core;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Small helpers for the futures the stores and handlers pass around. */
public final class Futures {

    private Futures() {
    }

    /** The real failure behind a future's {@link CompletionException}/{@link ExecutionException} wrapper. */
    public static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
