package io.svctoken.core.store;

/** The store could not do its job (unavailable, corrupt, read-only, ...). */
public class StoreException extends RuntimeException {

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
