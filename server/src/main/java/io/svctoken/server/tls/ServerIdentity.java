package io.svctoken.server.tls;

import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * What the HTTPS server presents: one or more private keys with their certificate chains (normally one;
 * several, e.g. RSA and EC, are chosen by the JDK's key manager), and the HTTP CA when the material names
 * one (a private-key entry whose certificate is a CA, as in Elasticsearch's auto-configured {@code http.p12};
 * the enrollment APIs need it). CA key entries are never presented.
 */
record ServerIdentity(List<Entry> entries, Optional<X509Certificate> ca) {

    ServerIdentity {
        entries = List.copyOf(entries);
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("no server key");
        }
    }

    /** The chain of the (first) server key, leaf first. */
    List<X509Certificate> chain() {
        return entries.get(0).chain();
    }

    /**
     * A server {@link SSLContext} on the JDK's TLS implementation (TLS 1.3 and 1.2 as the JDK enables them).
     * One key is served by a fixed key manager (no key store round trip); several by the JDK's. There is no
     * trust manager: the server does not ask for client certificates (and so never loads the JDK's cacerts).
     */
    SSLContext sslContext() throws GeneralSecurityException {
        KeyManager keyManager;
        if (entries.size() == 1) {
            keyManager = new SingleKeyManager(entries.get(0));
        } else {
            char[] password = "svctoken-in-memory".toCharArray();
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try {
                ks.load(null, null);
            } catch (IOException e) {
                throw new GeneralSecurityException("cannot create an in-memory key store", e);
            }
            for (Entry e : entries) {
                ks.setKeyEntry(e.alias(), e.key(), password, e.chain().toArray(new Certificate[0]));
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance("NewSunX509");
            kmf.init(ks, password);
            keyManager = kmf.getKeyManagers()[0];
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(new KeyManager[]{keyManager}, new TrustManager[0], null);
        return ctx;
    }

    /** Presents the one key and its chain. */
    private static final class SingleKeyManager extends X509ExtendedKeyManager {
        private final Entry entry;
        private final X509Certificate[] chain;

        SingleKeyManager(Entry entry) {
            this.entry = entry;
            this.chain = entry.chain().toArray(new X509Certificate[0]);
        }

        /** The alias when the JDK asks for this key's type ({@code RSA}, {@code EC}, ...), as its own key managers do. */
        private String alias(String keyType) {
            return entry.key().getAlgorithm().equals(keyType) ? entry.alias() : null;
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            return alias(keyType);
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return alias(keyType);
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            String a = alias(keyType);
            return a == null ? null : new String[]{a};
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return entry.alias().equals(alias) ? chain.clone() : null;
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return entry.alias().equals(alias) ? entry.key() : null;
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return null;
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return null;
        }
    }

    record Entry(String alias, PrivateKey key, List<X509Certificate> chain) {
        Entry {
            chain = List.copyOf(chain);
        }

        boolean isCa() {
            return chain.get(0).getBasicConstraints() >= 0;
        }

        static List<X509Certificate> x509(Certificate[] chain) {
            return Arrays.stream(chain).map(c -> (X509Certificate) c).toList();
        }
    }
}
