package io.svctoken.server.authz;

import io.svctoken.core.account.RoleDescriptor;
import io.svctoken.core.authz.RoleResolver;
import io.svctoken.core.role.ReservedRoles;
import io.svctoken.core.role.RolesFile;
import io.svctoken.server.file.PolledFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

/** Roles of {@code <config>/roles.yml}, re-read within a second of a change; a bad role never hides the others. */
public final class FileRoles implements RoleResolver.RoleSource {

    private static final Logger LOG = LoggerFactory.getLogger(FileRoles.class);

    private volatile Map<String, RoleDescriptor> roles = Map.of();

    private FileRoles() {
    }

    public static FileRoles start(Path configDir, ScheduledExecutorService poller, ReservedRoles reserved) throws IOException {
        FileRoles f = new FileRoles();
        Path file = configDir.resolve(RolesFile.FILE_NAME);
        String abs = file.toAbsolutePath().toString();
        PolledFile.watch(file, poller, (lines, initial) -> {
            if (lines == null) {
                if (!f.roles.isEmpty()) {
                    LOG.info("updated roles (roles file [{}] removed)", abs);
                }
                f.roles = Map.of();
                return;
            }
            RolesFile.Parsed p = RolesFile.parse(lines, reserved);
            p.problems().forEach(pr -> LOG.error(pr.message(abs)));
            if (p.fileRejected().isPresent() && !initial) {
                LOG.error("could not reload roles file [{}]. Current roles remain unmodified", abs);
                return;
            }
            f.roles = p.roles();
            LOG.info(initial ? "parsed [{}] roles from file [{}]" : "updated roles (roles file [{}] changed)",
                    initial ? p.roles().size() : abs, abs);
        }, (e, why, initial) -> {
            if (initial) {
                LOG.error("failed to read roles file [{}]. skipping all roles... {}", abs, why);
            } else {
                LOG.error("could not reload roles file [{}]. Current roles remain unmodified: {}", abs, why);
            }
        });
        return f;
    }

    @Override
    public Optional<RoleDescriptor> find(String name) {
        return Optional.ofNullable(roles.get(name));
    }
}
