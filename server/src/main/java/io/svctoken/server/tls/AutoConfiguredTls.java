package io.svctoken.server.tls;

import io.svctoken.server.file.AccessFix;
import io.svctoken.server.file.DefaultConfigFiles;
import io.svctoken.server.file.SecureFiles;
import io.svctoken.server.settings.SettingsException;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.UnaryOperator;
import javax.security.auth.x500.X500Principal;

/**
 * The HTTPS material Elasticsearch's auto-configuration generates on a node's first start
 *, in {@code <config>/certs/}:
 * <ul>
 * <li>{@code http_ca.crt}: the HTTP CA certificate (PEM), for clients ({@code curl --cacert});</li>
 * <li>{@code http.p12}: PKCS#12 with the entries {@code http_ca} (CA key + [CA certificate]) and {@code http}
 *     (server key + [server certificate, CA certificate]); store and keys share one random password;</li>
 * <li>{@code http.p12.password}: that password (svctoken has no secure keystore where Elasticsearch keeps it
 *     as {@code xpack.security.http.ssl.keystore.secure_password}).</li>
 * </ul>
 * The directory is written as {@code certs.<epochSeconds>.tmp} and renamed to {@code certs} when complete
 * (a previous {@code certs} without {@code http.p12} is moved to {@code certs.<epochSeconds>.orig}); the
 * directory gets mode 0750 and the files 0660 (owner and group only), never readable by others.
 */
public final class AutoConfiguredTls {

    private static final Logger LOG = LoggerFactory.getLogger(AutoConfiguredTls.class);

    public static final String CERTS_DIR = "certs";
    public static final String CA_FILE = "http_ca.crt";
    public static final String KEYSTORE_FILE = "http.p12";
    public static final String PASSWORD_FILE = KEYSTORE_FILE + ".password";
    public static final String CA_ALIAS = "http_ca";
    public static final String HTTP_ALIAS = "http";
    public static final String CA_SUBJECT = "CN=Elasticsearch security auto-configuration HTTP CA";
    static final int KEY_SIZE = 4096;
    static final Duration CA_VALIDITY = Duration.ofDays(3 * 365);
    static final Duration HTTP_VALIDITY = Duration.ofDays(2 * 365);

    private AutoConfiguredTls() {
    }

    public static Path certsDir(Path configDir) {
        return configDir.resolve(CERTS_DIR);
    }

    /** {@code <config>/certs/http_ca.crt}, the CA clients and tools trust. */
    public static Path caFile(Path configDir) {
        return certsDir(configDir).resolve(CA_FILE);
    }

    /**
     * Whether an earlier first start left its material ({@code certs/http.p12}). A file that cannot even be looked
     * at is not "missing": that would turn HTTPS off because of a permission mistake, so it stops the start
     * with the least-privilege fix for the server's user.
     */
    static boolean exists(Path configDir) {
        Path certs = certsDir(configDir);
        try {
            Files.readAttributes(certs.resolve(KEYSTORE_FILE), BasicFileAttributes.class);
            return true;
        } catch (NoSuchFileException e) {
            return false;
        } catch (AccessDeniedException e) {
            throw new SettingsException("cannot read the auto-configured HTTPS certificates in [" + certs
                    + "]: " + AccessFix.describe(certs, AccessFix.Need.READ_TREE), e);
        } catch (IOException e) {
            throw new SettingsException("cannot read the auto-configured HTTPS certificates in [" + certs
                    + "]: " + e, e);
        }
    }

    /** Loads {@code certs/http.p12} with the password of {@code certs/http.p12.password}. */
    static ServerIdentity load(Path configDir) {
        Path keystore = certsDir(configDir).resolve(KEYSTORE_FILE);
        char[] password = readPasswordFile(keystore).orElseThrow(() -> KeyMaterial.fail("the auto-configured keystore [" + keystore
                + "] has no password file [" + passwordFile(keystore) + "]; restore it, or move the [" + certsDir(configDir)
                + "] directory away to generate new certificates on a first start, or configure xpack.security.http.ssl.* yourself",
                null, null));
        return KeyMaterial.keystore(keystore, "PKCS12", password, password, passwordFile(keystore).toString(),
                passwordFile(keystore).toString());
    }

    static Path passwordFile(Path keystore) {
        return keystore.resolveSibling(keystore.getFileName() + ".password");
    }

    /** The password kept next to a key store ({@code <keystore>.password}, first line), if there is such a file. */
    static Optional<char[]> readPasswordFile(Path keystore) {
        Path file = passwordFile(keystore);
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            int eol = text.indexOf('\n');
            String line = eol < 0 ? text : text.substring(0, eol);
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            return Optional.of(line.toCharArray());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (AccessDeniedException e) {
            throw KeyMaterial.fail("not permitted to read the keystore password file [" + file + "]; "
                    + AccessFix.describe(file, AccessFix.Need.READ_FILE), null, e);
        } catch (IOException e) {
            throw KeyMaterial.fail("cannot read the keystore password file [" + file + "] - " + e, null, e);
        }
    }

    /**
     * Generates the CA and the HTTP certificate and writes them. {@code nodeName} is the certificate's CN;
     * {@code bindHost} (the configured listen address) and {@code publishHosts} are added to the SANs.
     */
    static ServerIdentity generate(Path configDir, String nodeName, String bindHost) {
        return generate(configDir, nodeName, bindHost, candidate -> candidate);
    }

    /** The HTTP CA: its certificate and key pair. */
    record Ca(X509Certificate cert, KeyPair keys) {
    }

    /**
     * Generates as {@link #generate(Path, String, String)}, with the CA {@code agree} returns for the one this
     * node generated: for nodes sharing a store, the CA the first of them stored (every node then presents a
     * certificate of its own, all signed by one CA).
     */
    static ServerIdentity generate(Path configDir, String nodeName, String bindHost, UnaryOperator<Ca> agree) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        long t0 = System.nanoTime();
        X509Certificate caCert;
        X509Certificate httpCert;
        KeyPair caKeys;
        KeyPair httpKeys;
        try {
            // The two 4096-bit keys are the slow part: generate them side by side.
            CompletableFuture<KeyPair> caKeyFuture = new CompletableFuture<>();
            Thread t = new Thread(() -> {
                try {
                    caKeyFuture.complete(CertificateGenerator.rsaKeyPair(KEY_SIZE));
                } catch (Throwable e) {
                    caKeyFuture.completeExceptionally(e);
                }
            }, "svctoken-tls-keygen");
            t.setDaemon(true);
            t.start();
            httpKeys = CertificateGenerator.rsaKeyPair(KEY_SIZE);
            caKeys = caKeyFuture.join();
            caCert = CertificateGenerator.ca(new X500Principal(CA_SUBJECT), caKeys, now, CA_VALIDITY);
            Ca agreed = agree.apply(new Ca(caCert, caKeys));
            caCert = agreed.cert();
            caKeys = agreed.keys();
            httpCert = CertificateGenerator.server(cn(nodeName), httpKeys, subjectAltNames(bindHost), caCert, caKeys.getPrivate(), now,
                    HTTP_VALIDITY);
        } catch (GeneralSecurityException | CompletionException e) {
            throw new IllegalStateException("cannot generate the HTTPS certificates: " + e.getMessage(), e);
        }
        char[] password = newPassword();
        byte[] p12;
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry(CA_ALIAS, caKeys.getPrivate(), password, new Certificate[]{caCert});
            ks.setKeyEntry(HTTP_ALIAS, httpKeys.getPrivate(), password, new Certificate[]{httpCert, caCert});
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ks.store(out, password);
            p12 = out.toByteArray();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build the HTTPS keystore: " + e.getMessage(), e);
        }
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(CA_FILE, pem(caCert));
        files.put(KEYSTORE_FILE, p12);
        files.put(PASSWORD_FILE, (new String(password) + "\n").getBytes(StandardCharsets.UTF_8));
        write(configDir, files, now);
        LOG.debug("generated the HTTPS certificates in {} ms", (System.nanoTime() - t0) / 1_000_000);
        return new ServerIdentity(List.of(new ServerIdentity.Entry(HTTP_ALIAS, httpKeys.getPrivate(), List.of(httpCert, caCert))),
                Optional.of(caCert));
    }

    /** The CA as one text: the certificate's PEM, then the private key's PKCS#8 PEM. */
    static String encode(Ca ca) {
        return new String(pem(ca.cert()), StandardCharsets.US_ASCII) + "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(ca.keys().getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }

    static Ca decode(String text) {
        try {
            int k = text.indexOf("-----BEGIN PRIVATE KEY-----");
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(text.substring(0, k).getBytes(StandardCharsets.US_ASCII)));
            String b64 = text.substring(k).replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", "")
                    .replaceAll("\\s", "");
            PrivateKey key = KeyFactory.getInstance("RSA")
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(b64)));
            return new Ca(cert, new KeyPair(cert.getPublicKey(), key));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalStateException("the HTTP CA kept in the store cannot be read: " + e.getMessage(), e);
        }
    }

    /** 22 URL-safe Base64 characters of 16 random bytes: the shape of Elasticsearch's auto-configured keystore passwords. */
    private static char[] newPassword() {
        byte[] b = new byte[16];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b).toCharArray();
    }

    private static X500Principal cn(String name) {
        try {
            return new X500Principal(new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, name).build().getEncoded());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * As Elasticsearch: every IP address of every local interface, DNS {@code localhost} and the host name;
     * plus {@code 127.0.0.1} and {@code ::1} always, and the configured listen address when it is a specific one.
     */
    static GeneralNames subjectAltNames(String bindHost) {
        Map<String, GeneralName> names = new LinkedHashMap<>();
        dns(names, "localhost");
        dns(names, hostName());
        ip(names, InetAddress.getLoopbackAddress());
        try {
            ip(names, InetAddress.getByName("127.0.0.1"));
            ip(names, InetAddress.getByName("::1"));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                    ip(names, a);
                }
            }
        } catch (SocketException | NullPointerException e) {
            LOG.debug("cannot list the network interfaces: {}", e.toString());
        }
        if (bindHost != null && !bindHost.isBlank() && !"0.0.0.0".equals(bindHost) && !"::".equals(bindHost)) {
            if (isIpLiteral(bindHost)) {
                try {
                    ip(names, InetAddress.getByName(bindHost));
                } catch (UnknownHostException e) {
                    // not an address after all: ignore
                }
            } else {
                dns(names, bindHost);
            }
        }
        return new GeneralNames(new ArrayList<>(names.values()).toArray(new GeneralName[0]));
    }

    private static boolean isIpLiteral(String host) {
        return host.contains(":") || host.matches("[0-9.]+");
    }

    private static void dns(Map<String, GeneralName> names, String name) {
        if (name != null && !name.isBlank()) {
            names.putIfAbsent("dns:" + name.toLowerCase(Locale.ROOT), new GeneralName(GeneralName.dNSName, name));
        }
    }

    private static void ip(Map<String, GeneralName> names, InetAddress address) {
        // raw bytes: no zone id (fe80::1%eth0) in the certificate
        byte[] raw = address.getAddress();
        names.putIfAbsent("ip:" + HexFormat.of().formatHex(raw), new GeneralName(GeneralName.iPAddress, new DEROctetString(raw)));
    }

    /** {@code $HOSTNAME} as Elasticsearch reads it, else the JDK's local host name. */
    static String hostName() {
        String h = System.getenv("HOSTNAME");
        if (h != null && !h.isBlank()) {
            return h.trim();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static byte[] pem(X509Certificate cert) {
        try {
            return pemCertificate(cert.getEncoded()).getBytes(StandardCharsets.US_ASCII);
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A certificate's DER as PEM ({@code -----BEGIN CERTIFICATE-----}, Base64 in 64 columns), as {@code http_ca.crt} holds it. */
    public static String pemCertificate(byte[] der) {
        StringWriter out = new StringWriter();
        try (PemWriter w = new PemWriter(out)) {
            w.writeObject(new PemObject("CERTIFICATE", der));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void write(Path configDir, Map<String, byte[]> files, Instant now) {
        Path certs = certsDir(configDir);
        Path tmp = configDir.resolve(CERTS_DIR + "." + now.getEpochSecond() + ".tmp");
        try {
            DefaultConfigFiles.createDirectory(configDir);
            SecureFiles.createDirectory(tmp, configDir);
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                SecureFiles.writeNewFile(tmp.resolve(f.getKey()), f.getValue(), configDir);
            }
            SecureFiles.syncDirectory(tmp);
            if (Files.exists(certs)) {
                Path orig = configDir.resolve(CERTS_DIR + "." + now.getEpochSecond() + ".orig");
                LOG.warn("moving the existing [{}] (it holds no {}) to [{}] before writing the auto-configured certificates", certs,
                        KEYSTORE_FILE, orig);
                move(certs, orig);
            }
            move(tmp, certs);
            SecureFiles.syncDirectory(configDir);
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new IllegalStateException("cannot write the auto-configured HTTPS certificates to [" + certs + "]: " + e
                    + " (the config directory must be writable by the server's user on the first start, or set"
                    + " xpack.security.http.ssl.enabled: false, or configure xpack.security.http.ssl.* yourself)", e);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort
                }
            });
        } catch (IOException | UncheckedIOException ignored) {
            // nothing was created
        }
    }
}
