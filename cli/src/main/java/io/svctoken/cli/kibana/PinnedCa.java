package io.svctoken.cli.kibana;

import io.svctoken.core.enroll.EnrollmentToken;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

/**
 * TLS trust pinned to one CA, as Kibana's enrollment does: the chain the
 * server presents must contain a certificate whose SHA-256 fingerprint is {@code fgr}, and the chain
 * must validate up to that certificate. Nothing else is trusted.
 */
final class PinnedCa implements X509TrustManager {

    static final String MISMATCH = "Server certificate CA fingerprint does not match the value configured in caFingerprint";

    private final String fingerprint;
    private volatile X509Certificate matched;

    PinnedCa(String fingerprint) {
        this.fingerprint = fingerprint;
    }

    static SSLContext context(PinnedCa trust) throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[]{trust}, null);
        return ctx;
    }

    /** The CA certificate the server presented and that matched the fingerprint (after a handshake). */
    X509Certificate matchedCa() {
        return matched;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        X509Certificate ca = null;
        for (X509Certificate c : chain) {
            if (EnrollmentToken.fingerprint(c.getEncoded()).equalsIgnoreCase(fingerprint)) {
                ca = c;
                break;
            }
        }
        if (ca == null) {
            throw new CertificateException(MISMATCH);
        }
        try {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            ks.setCertificateEntry("pinned-ca", ca);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            for (TrustManager tm : tmf.getTrustManagers()) {
                if (tm instanceof X509TrustManager x) {
                    x.checkServerTrusted(chain, authType);
                    matched = ca;
                    return;
                }
            }
        } catch (CertificateException e) {
            throw e;
        } catch (Exception e) {
            throw new CertificateException("cannot validate the server's certificate chain: " + e.getMessage(), e);
        }
        throw new CertificateException("no X.509 trust manager available");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("not a server");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
