package io.svctoken.server.tls;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import javax.security.auth.x500.X500Principal;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * Certificates as Elasticsearch's auto-configuration makes them ({@code CertGenUtils}):
 * RSA keys, {@code SHA256withRSA}, a random non-negative serial of up to 160 bits, notBefore = now,
 * SubjectKeyIdentifier and AuthorityKeyIdentifier (non-critical), BasicConstraints (critical only for a CA).
 * Like Elasticsearch 8.18+ (elastic/elasticsearch#126376, after CA certificates without keyUsage were
 * rejected by Python 3.13's strict verification, #117769) the CA carries keyUsage keyCertSign+cRLSign and the
 * HTTP certificate digitalSignature+keyEncipherment; the HTTP certificate also has extendedKeyUsage serverAuth.
 * BouncyCastle builds and encodes the certificates; keys and signatures come from the JDK's providers.
 */
public final class CertificateGenerator {

    private static final String SIGNATURE_ALGORITHM = "SHA256withRSA";
    private static final int SERIAL_BITS = 160;
    private static final SecureRandom RANDOM = new SecureRandom();

    private CertificateGenerator() {
    }

    public static KeyPair rsaKeyPair(int bits) throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(bits, RANDOM);
        return g.generateKeyPair();
    }

    /** A self-signed CA certificate. */
    public static X509Certificate ca(X500Principal subject, KeyPair keys, Instant now, Duration validity) throws GeneralSecurityException {
        return build(subject, keys, null, keys.getPrivate(), true, null, now, validity);
    }

    /** A server certificate signed by {@code ca}, for the names in {@code subjectAltNames}. */
    public static X509Certificate server(X500Principal subject, KeyPair keys, GeneralNames subjectAltNames, X509Certificate ca,
                                         PrivateKey caKey, Instant now, Duration validity) throws GeneralSecurityException {
        return build(subject, keys, ca, caKey, false, subjectAltNames, now, validity);
    }

    private static X509Certificate build(X500Principal subject, KeyPair keys, X509Certificate issuerCert, PrivateKey signingKey, boolean isCa,
                                         GeneralNames subjectAltNames, Instant now, Duration validity) throws GeneralSecurityException {
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X500Name subjectName = X500Name.getInstance(subject.getEncoded());
            X500Name issuerName = issuerCert == null ? subjectName : X500Name.getInstance(issuerCert.getSubjectX500Principal().getEncoded());
            BigInteger serial = new BigInteger(SERIAL_BITS, RANDOM);
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuerName, serial, Date.from(now), Date.from(now.plus(validity)),
                    subjectName, keys.getPublic());
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
            b.addExtension(Extension.authorityKeyIdentifier, false,
                    issuerCert == null ? ext.createAuthorityKeyIdentifier(keys.getPublic()) : ext.createAuthorityKeyIdentifier(issuerCert));
            b.addExtension(Extension.basicConstraints, isCa, new BasicConstraints(isCa));
            if (isCa) {
                b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            } else {
                b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
                b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            }
            if (subjectAltNames != null) {
                b.addExtension(Extension.subjectAlternativeName, false, subjectAltNames);
            }
            ContentSigner signer = new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).build(signingKey);
            return new JcaX509CertificateConverter().getCertificate(b.build(signer));
        } catch (GeneralSecurityException e) {
            throw e;
        } catch (Exception e) {
            // BouncyCastle's OperatorCreationException / CertIOException
            throw new GeneralSecurityException("cannot build certificate [" + subject.getName() + "]: " + e.getMessage(), e);
        }
    }
}
