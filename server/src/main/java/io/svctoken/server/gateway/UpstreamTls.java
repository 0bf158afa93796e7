package io.svctoken.server.gateway;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.svctoken.server.settings.GatewaySettings;
import io.svctoken.server.settings.SettingsException;

import java.io.InputStream;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Trust for {@code https} upstreams, as Elasticsearch's clients configure it: the CAs of
 * {@code ssl.certificate_authorities} (PEM), and/or a CA pinned by its SHA-256 fingerprint
 * ({@code ssl.ca_fingerprint}: a chain is trusted when one of its certificates has that fingerprint), else the
 * JDK's trust store; {@code verification_mode: none} trusts any certificate, {@code certificate} skips the
 * host name check (done by the engine's endpoint identification in {@code full}).
 */
final class UpstreamTls {

    private UpstreamTls() {
    }

    static SslContext clientContext(GatewaySettings s) {
        try {
            SslContextBuilder b = SslContextBuilder.forClient();
            if (s.verificationMode() == GatewaySettings.VerificationMode.NONE) {
                b.trustManager(InsecureTrustManagerFactory.INSTANCE);
            } else if (s.certificateAuthorities().isPresent() || s.caFingerprint().isPresent()) {
                b.trustManager(new PinnedOrCa(caTrust(s), s.caFingerprint().orElse(null)));
            }
            return b.build();
        } catch (SSLException e) {
            throw new SettingsException("cannot set up TLS to the gateway's upstream: " + e.getMessage(), e);
        }
    }

    private static X509TrustManager caTrust(GatewaySettings s) {
        if (s.certificateAuthorities().isEmpty()) {
            return null;
        }
        try (InputStream in = Files.newInputStream(s.certificateAuthorities().get())) {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                ks.setCertificateEntry("ca-" + i++, c);
            }
            if (i == 0) {
                throw new SettingsException("no certificate in [" + GatewaySettings.CERTIFICATE_AUTHORITIES + "] ("
                        + s.certificateAuthorities().get() + ")");
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            for (TrustManager tm : tmf.getTrustManagers()) {
                if (tm instanceof X509TrustManager x) {
                    return x;
                }
            }
            throw new IllegalStateException("no X.509 trust manager");
        } catch (SettingsException e) {
            throw e;
        } catch (Exception e) {
            throw new SettingsException("cannot read [" + GatewaySettings.CERTIFICATE_AUTHORITIES + "] ("
                    + s.certificateAuthorities().get() + "): " + e.getMessage(), e);
        }
    }

    /** Trusts a server chain that the CA file's trust accepts, or that contains the pinned certificate. */
    private record PinnedOrCa(X509TrustManager cas, byte[] pin) implements X509TrustManager {

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            if (pin != null) {
                for (X509Certificate c : chain) {
                    try {
                        if (MessageDigest.isEqual(pin, MessageDigest.getInstance("SHA-256").digest(c.getEncoded()))) {
                            return;
                        }
                    } catch (NoSuchAlgorithmException e) {
                        throw new CertificateException(e);
                    }
                }
            }
            if (cas == null) {
                throw new CertificateException("no certificate of the upstream's chain has the pinned SHA-256 fingerprint");
            }
            cas.checkServerTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("the gateway's trust is for upstream servers only");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return cas == null ? new X509Certificate[0] : cas.getAcceptedIssuers();
        }
    }
}
