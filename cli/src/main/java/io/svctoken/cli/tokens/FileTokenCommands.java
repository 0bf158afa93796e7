package io.svctoken.cli.tokens;

import io.svctoken.cli.CliEsMessages;
import io.svctoken.cli.common.CliException;
import io.svctoken.cli.common.ExitCodes;
import io.svctoken.cli.common.SecurityFileOutput;
import io.svctoken.cli.common.Terminal;
import io.svctoken.cli.common.ToolEnvironment;
import io.svctoken.cli.files.FileAttributes;
import io.svctoken.cli.files.PermissionHints;
import io.svctoken.core.EsMessages;
import io.svctoken.core.account.BuiltinServiceAccounts;
import io.svctoken.core.account.ServiceAccountId;
import io.svctoken.core.file.ServiceTokensFile;
import io.svctoken.core.hash.Hasher;
import io.svctoken.core.secret.Secret;
import io.svctoken.core.secret.SecretAccess;
import io.svctoken.core.token.ServiceAccountToken;
import io.svctoken.core.token.TokenId;
import io.svctoken.core.token.TokenNames;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The three operations of {@code elasticsearch-service-tokens} on {@code <config>/service_tokens}, in
 * Elasticsearch's order of checks.
 */
final class FileTokenCommands {

    private final Terminal terminal;
    private final ToolEnvironment env;
    private final Path file;

    FileTokenCommands(Terminal terminal, ToolEnvironment env) {
        this.terminal = terminal;
        this.env = env;
        this.file = env.configDir().resolve(ServiceTokensFile.FILE_NAME);
    }

    void create(List<String> args) throws CliException {
        TokenId id = parsePrincipalAndTokenName(args);
        Hasher hasher = env.tokenHasher();
        Optional<FileAttributes> before = FileAttributes.read(file);
        SortedMap<String, String> tokens = new TreeMap<>(read());
        try (ServiceAccountToken token = ServiceAccountToken.newToken(id.accountId(), id.tokenName())) {
            if (tokens.containsKey(token.qualifiedName())) {
                throw new CliException(ExitCodes.CODE_ERROR, CliEsMessages.tokenAlreadyExists(token.qualifiedName()));
            }
            tokens.put(token.qualifiedName(), hasher.hash(token.secret()));
            write(tokens);
            try (Secret bearer = token.asBearer()) {
                terminal.println("SERVICE_TOKEN " + token.qualifiedName() + " = " + bearer.revealAsString(SecretAccess.plaintext()));
            }
        }
        checkAttributes(before);
    }

    void delete(List<String> args) throws CliException {
        TokenId id = parsePrincipalAndTokenName(args);
        Optional<FileAttributes> before = FileAttributes.read(file);
        SortedMap<String, String> tokens = new TreeMap<>(read());
        if (tokens.remove(id.qualifiedName()) == null) {
            throw new CliException(ExitCodes.CODE_ERROR, CliEsMessages.tokenDoesNotExist(id.qualifiedName()));
        }
        write(tokens);
        checkAttributes(before);
    }

    void list(List<String> args) throws CliException {
        if (args.size() > 1) {
            throw new CliException(ExitCodes.USAGE, CliEsMessages.expectedAtMostOneArgument(args));
        }
        String prefix = null;
        if (args.size() == 1) {
            prefix = requireKnownPrincipal(args.get(0)) + "/";
        }
        for (String key : read().keySet()) {
            if (prefix == null || key.startsWith(prefix)) {
                terminal.println(key);
            }
        }
    }

    private TokenId parsePrincipalAndTokenName(List<String> args) throws CliException {
        if (args.isEmpty()) {
            throw new CliException(ExitCodes.USAGE, CliEsMessages.MISSING_PRINCIPAL_AND_TOKEN_NAME);
        } else if (args.size() == 1) {
            throw new CliException(ExitCodes.USAGE, CliEsMessages.MISSING_TOKEN_NAME);
        } else if (args.size() > 2) {
            throw new CliException(ExitCodes.USAGE, CliEsMessages.expectedTwoArguments(args));
        }
        String principal = requireKnownPrincipal(args.get(0));
        String tokenName = args.get(1);
        if (!TokenNames.isValid(tokenName)) {
            throw new CliException(ExitCodes.CODE_ERROR, EsMessages.invalidTokenName(tokenName));
        }
        return new TokenId(ServiceAccountId.fromPrincipal(principal), tokenName);
    }

    private String requireKnownPrincipal(String principal) throws CliException {
        BuiltinServiceAccounts accounts = env.accounts();
        if (accounts.find(principal).isEmpty()) {
            throw new CliException(ExitCodes.NO_USER, CliEsMessages.unknownPrincipal(principal, accounts.cliOrder()));
        }
        return principal;
    }

    /** Strict parse as Elasticsearch's tool does; a missing file holds no tokens. */
    private Map<String, String> read() throws CliException {
        if (!Files.exists(file)) {
            return Map.of();
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw CliException.withHints(ExitCodes.IO_ERROR, "Failed to read service_tokens file [" + file + "]: " + e,
                    PermissionHints.forRead(file, e), e);
        }
        ServiceTokensFile.Parsed parsed;
        try {
            parsed = ServiceTokensFile.parseStrict(lines);
        } catch (IllegalStateException e) {
            throw new CliException(ExitCodes.CODE_ERROR, e.getMessage() + " of service_tokens file [" + file + "]");
        }
        for (ServiceTokensFile.Problem p : parsed.problems()) {
            terminal.verboseErrorPrintln("WARNING: " + p.message(file.toString()));
        }
        return parsed.tokens();
    }

    private void write(Map<String, String> tokens) throws CliException {
        SecurityFileOutput.write(terminal, file, ServiceTokensFile.format(tokens));
    }

    private void checkAttributes(Optional<FileAttributes> before) {
        SecurityFileOutput.warnAttributeChanges(terminal, Map.of(file, before));
    }
}
