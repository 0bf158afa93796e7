package io.svctoken.server.tls;

import io.svctoken.server.file.AccessFix;
import io.svctoken.server.settings.SettingsException;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads the operator's (or the auto-configured) TLS material. Every failure is a {@link SettingsException}
 * worded like Elasticsearch's {@code SslFileUtil} messages ({@code failed to load SSL configuration
 * [xpack.security.http.ssl] - cannot read configured [PKCS12] keystore [...] - this is usually caused by an
 * incorrect password; ...}) followed by the setting to check, so the node stops with one clear line.
 */
final class KeyMaterial {

    static final String CONTEXT = "xpack.security.http.ssl";

    private KeyMaterial() {
    }

    /**
     * A PKCS#12 or JKS key store: its private-key entries (those whose certificate is a CA are kept apart as
     * the HTTP CA, and never presented while another key exists).
     *
     * @param passwordSetting where the store password came from, named in errors
     */
    static ServerIdentity keystore(Path path, String type, char[] storePassword, char[] keyPassword, String passwordSetting,
                                   String keyPasswordSetting) {
        String what = "[" + type + "] keystore";
        KeyStore ks;
        try (InputStream in = Files.newInputStream(path)) {
            ks = KeyStore.getInstance(type);
            ks.load(in, storePassword);
        } catch (NoSuchFileException e) {
            throw fail("cannot read configured " + what + " [" + path + "] because the file does not exist", null, e);
        } catch (AccessDeniedException e) {
            throw fail("not permitted to read the " + what + " file [" + path + "]; " + fix(path), null, e);
        } catch (IOException e) {
            if (hasCause(e, UnrecoverableKeyException.class)) {
                throw fail("cannot read configured " + what + " [" + path + "] - this is usually caused by an incorrect password; ("
                        + (storePassword.length == 0 ? "no password was provided" : "a keystore password was provided") + ")",
                        passwordSetting, e);
            }
            throw fail("cannot read configured " + what + " [" + path + "] - " + e.getMessage(), null, e);
        } catch (GeneralSecurityException e) {
            throw fail("cannot load " + what + " from [" + path + "] due to " + e.getClass().getSimpleName() + " (" + e.getMessage() + ")",
                    null, e);
        }
        // Key entries by their certificate; only the keys that will be presented are decrypted (not the CA's).
        List<String> serverAliases = new ArrayList<>();
        List<String> caAliases = new ArrayList<>();
        try {
            for (String alias : Collections.list(ks.aliases())) {
                Certificate[] chain = ks.isKeyEntry(alias) ? ks.getCertificateChain(alias) : null;
                if (chain == null || chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
                    continue;
                }
                (leaf.getBasicConstraints() >= 0 ? caAliases : serverAliases).add(alias);
            }
            if (serverAliases.isEmpty() && caAliases.isEmpty()) {
                throw fail("the " + type + " keystore [" + path + "] does not contain a private key entry", null, null);
            }
            Optional<X509Certificate> ca = caAliases.size() == 1
                    ? Optional.of((X509Certificate) ks.getCertificateChain(caAliases.get(0))[0]) : Optional.empty();
            // A store holding only CA keys still works (the CA certificate is then the server certificate).
            List<ServerIdentity.Entry> entries = new ArrayList<>();
            for (String alias : serverAliases.isEmpty() ? caAliases : serverAliases) {
                PrivateKey key;
                try {
                    key = (PrivateKey) ks.getKey(alias, keyPassword);
                } catch (UnrecoverableKeyException e) {
                    throw fail("cannot load " + what + " from [" + path + "] due to UnrecoverableKeyException (" + e.getMessage()
                            + "); this is usually caused by an incorrect key-password"
                            + (keyPassword.length == 0 ? " (no key-password was provided)"
                            : Arrays.equals(keyPassword, storePassword)
                            ? " (we tried to access the key using the same password as the keystore)" : ""),
                            keyPasswordSetting, e);
                }
                entries.add(new ServerIdentity.Entry(alias, key, ServerIdentity.Entry.x509(ks.getCertificateChain(alias))));
            }
            return new ServerIdentity(entries, ca);
        } catch (GeneralSecurityException e) {
            throw fail("cannot load " + what + " from [" + path + "] due to " + e.getClass().getSimpleName() + " (" + e.getMessage() + ")",
                    null, e);
        }
    }

    /** A PEM certificate chain (leaf first) and its PEM private key (PKCS#1, PKCS#8, or encrypted with {@code passphrase}). */
    static ServerIdentity pem(Path certificate, Path key, char[] passphrase, String certificateSetting, String keySetting,
                              String passphraseSetting) {
        List<X509Certificate> chain = certificates(certificate, certificateSetting);
        if (chain.isEmpty()) {
            throw fail("the PEM certificate file [" + certificate + "] does not contain a certificate", certificateSetting, null);
        }
        PrivateKey privateKey = privateKey(key, passphrase, keySetting, passphraseSetting);
        if (!chain.get(0).getPublicKey().getAlgorithm().equals(privateKey.getAlgorithm())) {
            throw fail("the private key [" + key + "] (" + privateKey.getAlgorithm() + ") does not match the certificate [" + certificate
                    + "] (" + chain.get(0).getPublicKey().getAlgorithm() + ")", keySetting, null);
        }
        return new ServerIdentity(List.of(new ServerIdentity.Entry("key", privateKey, chain)), Optional.empty());
    }

    /** Every certificate of a PEM file, in order. */
    static List<X509Certificate> certificates(Path file, String setting) {
        List<X509Certificate> out = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8); PEMParser p = new PEMParser(r)) {
            JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
            Object o;
            while ((o = p.readObject()) != null) {
                if (o instanceof X509CertificateHolder h) {
                    out.add(converter.getCertificate(h));
                }
            }
            return out;
        } catch (NoSuchFileException e) {
            throw fail("cannot read configured PEM certificate [" + file + "] because the file does not exist", setting, e);
        } catch (AccessDeniedException e) {
            throw fail("not permitted to read the PEM certificate file [" + file + "]; " + fix(file), setting, e);
        } catch (IOException | GeneralSecurityException e) {
            throw fail("cannot read configured PEM certificate [" + file + "] - " + e.getMessage(), setting, e);
        }
    }

    private static PrivateKey privateKey(Path file, char[] passphrase, String keySetting, String passphraseSetting) {
        Object o;
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8); PEMParser p = new PEMParser(r)) {
            do {
                o = p.readObject();
            } while (o != null && !(o instanceof PEMKeyPair || o instanceof PrivateKeyInfo || o instanceof PKCS8EncryptedPrivateKeyInfo
                    || o instanceof PEMEncryptedKeyPair));
        } catch (NoSuchFileException e) {
            throw fail("cannot read configured PEM private key [" + file + "] because the file does not exist", keySetting, e);
        } catch (AccessDeniedException e) {
            throw fail("not permitted to read the PEM private key file [" + file + "]; " + fix(file), keySetting, e);
        } catch (IOException e) {
            throw fail("cannot read configured PEM private key [" + file + "] - " + e.getMessage(), keySetting, e);
        }
        if (o == null) {
            throw fail("the PEM private key file [" + file + "] does not contain a private key", keySetting, null);
        }
        BouncyCastleProvider bc = new BouncyCastleProvider();
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try {
            if (o instanceof PEMKeyPair kp) {
                return converter.getKeyPair(kp).getPrivate();
            }
            if (o instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            if (passphrase.length == 0) {
                throw fail("cannot read encrypted PEM private key [" + file + "] because a key passphrase was not provided", passphraseSetting,
                        null);
            }
            if (o instanceof PKCS8EncryptedPrivateKeyInfo enc) {
                return converter.getPrivateKey(enc.decryptPrivateKeyInfo(
                        new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(bc).build(passphrase)));
            }
            PEMEncryptedKeyPair enc = (PEMEncryptedKeyPair) o;
            return converter.getKeyPair(enc.decryptKeyPair(new JcePEMDecryptorProviderBuilder().setProvider(bc).build(passphrase)))
                    .getPrivate();
        } catch (SettingsException e) {
            throw e;
        } catch (Exception e) {
            throw fail("cannot load PEM private key from [" + file + "] (" + e.getMessage() + "); this is usually caused by an incorrect"
                    + " passphrase", passphraseSetting, e);
        }
    }

    static String keystoreType(Path path, Optional<String> configured) {
        if (configured.isPresent()) {
            return configured.get();
        }
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".jks") ? "JKS" : "PKCS12";
    }

    /** The least-privilege fix for a file the server's user may not read. */
    private static String fix(Path file) {
        return AccessFix.describe(file, AccessFix.Need.READ_FILE);
    }

    static SettingsException fail(String message, String setting, Throwable cause) {
        String text = "failed to load SSL configuration [" + CONTEXT + "] - " + message + (setting == null ? "" : " (check [" + setting + "])");
        return cause == null ? new SettingsException(text) : new SettingsException(text, cause);
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }
}
