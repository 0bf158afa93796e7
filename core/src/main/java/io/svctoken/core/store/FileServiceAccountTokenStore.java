package io.svctoken.core.store;

import io.svctoken.core.account.ServiceAccountId;
import io.svctoken.core.hash.Hasher;
import io.svctoken.core.token.ServiceAccountToken;
import io.svctoken.core.token.TokenId;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Tokens of the node-local {@code service_tokens} file, held in memory as qualified name → hash.
 * Whoever reads the file pushes its content with {@link #replaceTokens}; verification runs on
 * {@code worker}.
 */
public final class FileServiceAccountTokenStore implements ServiceAccountTokenStore {

    private final Executor worker;
    private volatile SortedMap<String, String> tokens = new TreeMap<>();

    public FileServiceAccountTokenStore(Executor worker) {
        this.worker = Objects.requireNonNull(worker);
    }

    @Override
    public CompletableFuture<StoreAuthenticationResult> authenticate(ServiceAccountToken token) {
        String hash = tokens.get(token.qualifiedName());
        if (hash == null) {
            return CompletableFuture.completedFuture(StoreAuthenticationResult.failure(TokenSource.FILE));
        }
        return CompletableFuture.supplyAsync(() -> StoreAuthenticationResult.of(Hasher.verifyHash(token.secret(), hash), TokenSource.FILE), worker);
    }

    @Override
    public boolean mayContain(TokenId id) {
        return tokens.containsKey(id.qualifiedName());
    }

    /** Replaces the tokens; returns whether anything changed (then the caller clears the file-token cache). */
    public boolean replaceTokens(Map<String, String> newTokens) {
        SortedMap<String, String> copy = new TreeMap<>(newTokens);
        boolean changed = !copy.equals(tokens);
        tokens = copy;
        return changed;
    }

    /** Token names of one account held in the file, sorted. */
    public List<String> tokenNames(ServiceAccountId account) {
        String prefix = account.asPrincipal() + "/";
        List<String> names = new ArrayList<>();
        for (String key : tokens.tailMap(prefix).keySet()) {
            if (!key.startsWith(prefix)) {
                break;
            }
            names.add(key.substring(prefix.length()));
        }
        return names;
    }

    public int size() {
        return tokens.size();
    }
}
