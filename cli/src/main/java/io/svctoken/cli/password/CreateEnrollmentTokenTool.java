package io.svctoken.cli.password;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.svctoken.cli.CliEsMessages;
import io.svctoken.cli.common.CliException;
import io.svctoken.cli.common.ExitCodes;
import io.svctoken.cli.common.OptionParser;
import io.svctoken.cli.common.SingleCommandTool;
import io.svctoken.cli.common.StandardOptions;
import io.svctoken.cli.common.Terminal;
import io.svctoken.cli.common.ToolEnvironment;
import io.svctoken.cli.files.PermissionHints;
import io.svctoken.cli.users.FileRealmFiles;
import io.svctoken.core.enroll.EnrollmentToken;
import io.svctoken.core.secret.Secret;
import io.svctoken.core.secret.SecretAccess;
import io.svctoken.core.token.TimeBasedIds;
import io.svctoken.server.ServerEsMessages;
import io.svctoken.server.tls.AutoConfiguredTls;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;

/**
 * {@code bin/elasticsearch-create-enrollment-token -s kibana [--url URL]}:
 * like Elasticsearch's tool, it runs as a temporary file-realm superuser on the node's machine (so no
 * password is typed), creates a 30-minute API key that can only call
 * {@code cluster:admin/xpack/security/enroll/kibana}, and prints the token
 * {@code {"ver","adr","fgr","key"}} with the fingerprint of {@code <config>/certs/http_ca.crt}.
 * Node tokens are refused: svctoken has no cluster for nodes to join.
 */
public final class CreateEnrollmentTokenTool extends SingleCommandTool {

    public static final String TOOL_NAME = "create-enrollment-token";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final OptionParser.Spec scope = parser.requiredWithArgument("The scope of this enrollment token, can be either \"node\" or \"kibana\"",
            "String", "s", "scope");
    private final OptionParser.Spec url = parser.withArgument("the URL where the elasticsearch node listens for connections.", "String", "url");
    @SuppressWarnings("unused")
    private final OptionParser.Spec force = parser.flag("Use this option to force execution of the command against a cluster that is currently unhealthy.",
            "f", "force");

    public CreateEnrollmentTokenTool(Terminal terminal, Map<String, String> env) {
        // no -s: here it is the scope
        super(terminal, env, CliEsMessages.ENROLLMENT_TOOL_DESCRIPTION, StandardOptions.withoutSilent());
    }

    public static void main(String[] args) {
        System.exit(new CreateEnrollmentTokenTool(Terminal.system(), System.getenv()).run(args));
    }

    @Override
    protected void execute(OptionParser.Parsed options) throws CliException {
        String s = options.valueOf(scope);
        if (!"kibana".equals(s) && !"node".equals(s)) {
            terminal.errorPrintln(CliEsMessages.ENROLLMENT_INVALID_SCOPE_DETAIL);
            throw new CliException(ExitCodes.USAGE, CliEsMessages.ENROLLMENT_INVALID_SCOPE);
        }
        ToolEnvironment environment = ToolEnvironment.load(options.valuesOf(common.settings), env);
        if (!environment.enrollmentEnabled()) {
            throw new CliException(ExitCodes.CONFIG, CliEsMessages.ENROLLMENT_TOKEN_NEEDS_ENABLED);
        }
        if ("node".equals(s)) {
            throw new CliException(ExitCodes.CONFIG, CliEsMessages.ENROLLMENT_NODE_SCOPE_UNSUPPORTED);
        }
        if (!environment.fileRealmEnabled()) {
            throw new CliException(ExitCodes.CONFIG, CliEsMessages.FILE_REALM_MUST_BE_ENABLED);
        }
        String fingerprint = caFingerprint(environment.configDir(), environment.httpSslConfigured());
        TemporarySuperuser.runAs(terminal, FileRealmFiles.of(terminal, environment), superuser -> {
            superuser.add(environment.passwordHasher());
            URI base = ResetPasswordTool.baseUrl(options.valueOf(url), environment);
            ClusterClient client = new ClusterClient(base, ClusterClient.sslContext(environment.configDir()));
            ResetPasswordTool.awaitAuthentication(terminal, client, superuser);
            String version = version(client, superuser);
            Secret key = createApiKey(client, superuser);
            String adr = base.getHost() + ":" + (base.getPort() > 0 ? base.getPort() : 9200);
            if (adr.indexOf(':') != adr.lastIndexOf(':') && !adr.startsWith("[")) {
                adr = "[" + base.getHost() + "]:" + base.getPort();
            }
            EnrollmentToken token = new EnrollmentToken(version, List.of(adr), fingerprint, key);
            terminal.printlnAlways(token.encode().revealAsString(SecretAccess.plaintext()));
            key.wipe();
        }, e -> e instanceof CliException c && c.exitCode() == ExitCodes.CONFIG ? c : failed(s, e));
    }

    private CliException failed(String scope, Exception cause) {
        terminal.verboseErrorPrintln("Cause: " + cause);
        return new CliException(ExitCodes.CANT_CREATE, CliEsMessages.enrollmentTokenFailed(scope));
    }

    /**
     * Lower-case hex SHA-256 of the HTTP CA's DER; the CA must be the auto-configured one next to the node's settings.
     * Without it: Elasticsearch's answer when the node is configured without it ({@code xpack.security.http.ssl.*}
     * set), else the node never started (its first start generates it); a CA file that cannot be read says so.
     */
    static String caFingerprint(Path configDir, boolean httpSslConfigured) throws CliException {
        Path ca = AutoConfiguredTls.caFile(configDir);
        try {
            Files.readAttributes(ca, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            if (httpSslConfigured || Files.exists(ca.getParent())) {
                throw new CliException(ExitCodes.CANT_CREATE, CliEsMessages.ENROLLMENT_NO_KEYSTORE);
            }
            throw new CliException(ExitCodes.CONFIG, "Unable to create an enrollment token: the node has not generated its HTTPS"
                    + " certificates yet ([" + ca + "] does not exist). Start the server once (bin/svctoken), then run this tool while it runs");
        } catch (IOException e) {
            throw unreadable(ca, e);
        }
        try (InputStream in = Files.newInputStream(ca)) {
            X509Certificate c = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            return EnrollmentToken.fingerprint(c.getEncoded());
        } catch (IOException e) {
            throw unreadable(ca, e);
        } catch (CertificateException e) {
            throw new CliException(ExitCodes.CANT_CREATE, CliEsMessages.ENROLLMENT_NO_KEYSTORE + " (" + e.getMessage() + ")");
        }
    }

    private static CliException unreadable(Path ca, IOException e) {
        return CliException.withHints(ExitCodes.IO_ERROR, "Unable to create an enrollment token: cannot read the HTTP CA certificate ["
                + ca + "]: " + e, PermissionHints.forRead(ca, e), e);
    }

    private static String version(ClusterClient client, TemporarySuperuser superuser) throws IOException, InterruptedException, CliException {
        ClusterClient.Response r = client.execute("GET", client.resolve(""), superuser.username(), superuser.password(), null);
        JsonNode n = r.body() == null ? null : r.body().at("/version/number");
        if (r.status() != 200 || n == null || !n.isTextual()) {
            throw new CliException(ExitCodes.CANT_CREATE, "cannot read the node's version (HTTP " + r.status() + ")");
        }
        return n.asText();
    }

    /** A 30-minute API key holding only the Kibana enrollment action. */
    private static Secret createApiKey(ClusterClient client, TemporarySuperuser superuser) throws IOException, InterruptedException, CliException {
        ObjectNode body = JSON.createObjectNode();
        body.put("name", ServerEsMessages.ENROLLMENT_API_KEY_NAME_PREFIX + TimeBasedIds.newId());
        body.put("expiration", "30m");
        body.putObject("role_descriptors").putObject("create_enrollment_token").putArray("cluster").add(ServerEsMessages.ENROLL_KIBANA_ACTION);
        ClusterClient.Response r = client.execute("POST", client.resolve("_security/api_key"), superuser.username(), superuser.password(),
                body.toString());
        if (r.status() != 200 || r.body() == null || !r.body().hasNonNull("id") || !r.body().hasNonNull("api_key")) {
            throw new CliException(ExitCodes.CANT_CREATE, "the API key could not be created (HTTP " + r.status() + ": "
                    + ClusterClient.errorCause(r) + ")");
        }
        return Secret.of(r.body().get("id").asText() + ":" + r.body().get("api_key").asText());
    }
}
