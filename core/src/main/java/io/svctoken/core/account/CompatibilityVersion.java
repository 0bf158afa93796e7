package io.svctoken.core.account;

import java.util.Arrays;
import java.util.Locale;

/**
 * Which Elasticsearch release line svctoken emulates. It chooses the built-in accounts and their
 * descriptors (resource directory {@code accounts/<dir>/}) and the version the root endpoint reports.
 */
public enum CompatibilityVersion {
    V8_19("8.19", "8.19.0", 8190099),
    V9("9.x", "9.2.0", 9020099);

    private final String resourceDir;
    private final String esVersionNumber;
    private final int versionId;

    CompatibilityVersion(String resourceDir, String esVersionNumber, int versionId) {
        this.resourceDir = resourceDir;
        this.esVersionNumber = esVersionNumber;
        this.versionId = versionId;
    }

    public static final CompatibilityVersion DEFAULT = V8_19;

    public String resourceDir() {
        return resourceDir;
    }

    /** The {@code version.number} reported by the root endpoint. */
    public String esVersionNumber() {
        return esVersionNumber;
    }

    /** Elasticsearch's old-style numeric version id, written into token documents. */
    public int versionId() {
        return versionId;
    }

    /** Accepts {@code 8.19}, {@code 8}, {@code 9}, {@code 9.x} (case-insensitive). */
    public static CompatibilityVersion parse(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        switch (v) {
            case "8", "8.19", "8.19.x":
                return V8_19;
            case "9", "9.x":
                return V9;
            default:
                throw new IllegalArgumentException("unsupported compatibility version [" + value + "], expected one of "
                        + Arrays.toString(new String[]{"8.19", "9.x"}));
        }
    }
}
