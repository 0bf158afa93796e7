package io.svctoken.cli.enroll;

import io.svctoken.cli.common.CliRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code elasticsearch-create-enrollment-token}'s checks before it talks to a node, as a process: the
 * scope, {@code xpack.security.enrollment.enabled} (from {@code -E} or the settings file), the HTTP CA.
 * The successful path is in {@link KibanaEnrollmentFlowTest}.
 */
class CreateEnrollmentTokenToolTest {

    private static final String TOOL = "io.svctoken.cli.password.CreateEnrollmentTokenTool";

    @TempDir
    Path conf;

    private CliRunner.Result run(String... args) {
        return CliRunner.forConfig(conf).tool(TOOL, "create-enrollment-token").run(args);
    }

    @Test
    void anUnknownScopeIsAUsageError() {
        CliRunner.Result r = run("-s", "beats");
        assertThat(r.exit()).as(r.toString()).isEqualTo(64);
        assertThat(r.stderr()).contains("The scope of this enrollment token, can only be one of [node, kibana]").contains("Invalid scope");
        assertThat(r.stdout()).isEmpty();
    }

    @Test
    void withEnrollmentSwitchedOffNoTokenIsMade() throws Exception {
        CliRunner.Result e = run("-s", "kibana", "-E", "xpack.security.enrollment.enabled=false");
        assertThat(e.exit()).as(e.toString()).isEqualTo(78);
        assertThat(e.stderr()).contains("[xpack.security.enrollment.enabled] must be set to `true` to create an enrollment token");

        Files.writeString(conf.resolve("elasticsearch.yml"), "xpack.security.enrollment.enabled: false\n");
        CliRunner.Result f = run("-s", "kibana");
        assertThat(f.exit()).as(f.toString()).isEqualTo(78);
        assertThat(f.stderr()).contains("[xpack.security.enrollment.enabled] must be set to `true` to create an enrollment token");
        assertThat(f.stdout()).isEmpty();
        assertThat(conf.resolve("users")).as("no temporary superuser was written").doesNotExist();
    }

    @Test
    void withTheFileRealmDisabledNeitherToolCanMakeItsTemporarySuperuser() {
        CliRunner.Result e = run("-s", "kibana", "-E", "xpack.security.authc.realms.file.file1.enabled=false");
        assertThat(e.exit()).as(e.toString()).isEqualTo(78);
        assertThat(e.stderr()).contains("File realm must be enabled");
        CliRunner.Result r = CliRunner.resetPassword(conf).run("-u", "elastic", "-b", "-E", "xpack.security.authc.realms.file.f.enabled=false");
        assertThat(r.exit()).as(r.toString()).isEqualTo(78);
        assertThat(r.stderr()).contains("File realm must be enabled");
        assertThat(conf.resolve("users")).doesNotExist();
    }

    @Test
    void withoutTheAutoConfiguredCaTheToolSaysWhy() {
        // no certs/ and no TLS setting: the node never started (its first start generates the CA)
        CliRunner.Result never = run("-s", "kibana");
        assertThat(never.exit()).as(never.toString()).isEqualTo(78);
        assertThat(never.stderr()).contains("the node has not generated its HTTPS certificates yet").contains("Start the server once");
        assertThat(never.stdout()).isEmpty();
        // a node configured without it: Elasticsearch's answer
        CliRunner.Result r = run("-s", "kibana", "-E", "xpack.security.http.ssl.enabled=false");
        assertThat(r.exit()).as(r.toString()).isEqualTo(73);
        assertThat(r.stderr()).contains("Unable to create an enrollment token. Elasticsearch node HTTP layer SSL configuration is not"
                + " configured with a keystore");
        assertThat(r.stdout()).isEmpty();
    }
}
