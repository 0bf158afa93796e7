package io.svctoken.core.store;

/** Where a token lives: the node-local {@code service_tokens} file or the shared store ("index" in Elasticsearch). */
public enum TokenSource {
    FILE("file"),
    INDEX("index");

    private final String esName;

    TokenSource(String esName) {
        this.esName = esName;
    }

    /** {@code file} or {@code index}, Elasticsearch's {@code _token_source}. */
    public String esName() {
        return esName;
    }

    /** The {@code token.type} shown by {@code _authenticate}. */
    public String tokenType() {
        return "_service_account_" + esName;
    }
}
