package io.svctoken.server.settings;

/** A setting is unknown or invalid; the message names it. Stops the start. */
public class SettingsException extends RuntimeException {

    public SettingsException(String message) {
        super(message);
    }

    public SettingsException(String message, Throwable cause) {
        super(message, cause);
    }
}
