package io.svctoken.core.secret;

/**
 * The capability to read a {@link Secret}'s characters, modelled on Tink's {@code SecretKeyAccess}: every
 * method of Secret that hands out its content takes one, so each read is a deliberate act that a search for
 * {@code SecretAccess.plaintext()} finds.
 *
 * <p>Anyone may obtain it; the point is that nobody does so silently. The rule (checked by a test that lists
 * the reading classes): take it with {@code SecretAccess.plaintext()} at the line that reads, never keep it in
 * a field, take it as a parameter or return it, and never write a method that returns a secret's plaintext
 * without asking for it in turn.
 */
public final class SecretAccess {

    private static final SecretAccess INSTANCE = new SecretAccess();

    private SecretAccess() {
    }

    /** The capability, for a caller that is about to read a secret's plaintext on purpose. */
    public static SecretAccess plaintext() {
        return INSTANCE;
    }

    @Override
    public String toString() {
        return "SecretAccess";
    }
}
