package io.svctoken.cli.common;

/** The sysexits-style exit codes of Elasticsearch's command-line tools. */
public final class ExitCodes {

    public static final int OK = 0;
    public static final int USAGE = 64;
    public static final int DATA_ERROR = 65;
    public static final int NO_USER = 67;
    public static final int UNAVAILABLE = 69;
    public static final int CODE_ERROR = 70;
    public static final int CANT_CREATE = 73;
    public static final int IO_ERROR = 74;
    public static final int TEMP_FAILURE = 75;
    public static final int CONFIG = 78;

    private ExitCodes() {
    }
}
