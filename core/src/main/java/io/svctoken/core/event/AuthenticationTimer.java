package io.svctoken.core.event;

/**
 * How long each authentication took (metrics). Called on the thread that decided, once per request; must be quick,
 * must not block or allocate.
 */
@FunctionalInterface
public interface AuthenticationTimer {

    /** No timing. */
    AuthenticationTimer NONE = (cached, success, nanos) -> {
    };

    /**
     * @param cached  the answer was known when the check returned (from a cache, or a refusal that needed no hashing
     *                or store call); false when it waited for the worker pool (hashing, the store)
     * @param success the credentials were accepted
     * @param nanos   from the start of the check to its outcome
     */
    void record(boolean cached, boolean success, long nanos);
}
