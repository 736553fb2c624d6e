package dev.canopy.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.canopy.emulator.world.SampleWorld;

/** The launcher's command line: every mistake refused at parse time, naming the argument, before anything starts. */
class LauncherCommandTest {

    private static final Path ROOT = Path.of("/repo");
    private static final String TREY = SampleWorld.TREY_TENANT_ID;

    private static LauncherCommand parse(String... args) {
        return LauncherCommand.parse(ROOT, List.of(args));
    }

    @Test
    void theDefaultsAreTheReadmesStack() {
        LauncherCommand up = parse("up");

        assertThat(up.options().stateDir()).isEqualTo(ROOT.resolve("deploy/local/.run"));
        assertThat(up.options().ports()).containsEntry("kafka", 9092).containsEntry("azure-emulator", 8443)
                .containsEntry("consent-service", 8081).containsEntry("cost-service", 8084);
        assertThat(up.options().stateDirArgument()).isEmpty();
    }

    @Test
    void twoPartsOnOnePortAreRefusedNamingBoth() {
        assertThatThrownBy(() -> parse("up", "--consent-port", "8082"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("consent-service").hasMessageContaining("collector-service")
                .hasMessageContaining("8082");
        assertThatThrownBy(() -> parse("demo", "--kafka-port", "8443"))
                .hasMessageContaining("kafka").hasMessageContaining("azure-emulator");
        // A service left out runs in dev mode on its port: it still counts.
        assertThatThrownBy(() -> parse("up", "--without", "collector-service", "--consent-port", "8082"))
                .hasMessageContaining("collector-service");
    }

    @Test
    void portsMayBeSwappedAsLongAsTheyEndDistinct() {
        LauncherCommand up = parse("up", "--consent-port", "8082", "--collector-port", "8081");

        assertThat(up.options().port(CanopyService.CONSENT)).isEqualTo(8082);
        assertThat(up.options().port(CanopyService.COLLECTOR)).isEqualTo(8081);
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "0", "-5", "65536", "70000", ""})
    void aPortOutsideOneTo65535IsRefusedNamingOptionAndValue(String value) {
        assertThatThrownBy(() -> parse("up", "--kafka-port", value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--kafka-port").hasMessageContaining("'" + value + "'")
                .hasMessageContaining("1 to 65535");
    }

    @Test
    void theEdgesOfThePortRangeAreAccepted() {
        assertThat(parse("up", "--cost-port", "1", "--tag-sync-port", "65535").options().ports())
                .containsEntry("cost-service", 1).containsEntry("tag-sync-service", 65535);
    }

    @Test
    void anUnknownArgumentOrOptionIsNamed() {
        assertThatThrownBy(() -> parse("demo", "extra")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown argument 'extra'");
        assertThatThrownBy(() -> parse("stop", "now")).hasMessage("unknown argument 'now'");
        assertThatThrownBy(() -> parse("up", "--bogus")).hasMessage("unknown option '--bogus'");
        assertThatThrownBy(() -> parse("launch")).hasMessage("unknown command 'launch'");
        assertThatThrownBy(() -> parse("up", "--state-dir")).hasMessage("--state-dir needs a value");
    }

    @Test
    void anOptionOfAnotherCommandIsRefusedWithWhatTheCommandTakes() {
        assertThatThrownBy(() -> parse("up", "--keep")).hasMessageContaining("up does not take --keep");
        assertThatThrownBy(() -> parse("demo", "--without", "cost-service"))
                .hasMessageContaining("demo does not take --without");
        assertThatThrownBy(() -> parse("token", "alice@canopy.example", "--kafka-port", "1"))
                .hasMessageContaining("token does not take --kafka-port; it takes [--state-dir]");
    }

    @Test
    void everyCommandTakesTheStateDirAnywhereOnTheLine() {
        Path dir = Path.of("/tmp/x");
        assertThat(parse("demo", "--state-dir", "/tmp/x", "--keep").options().stateDir()).isEqualTo(dir);
        assertThat(parse("up", "--state-dir", "/tmp/x").options().stateDir()).isEqualTo(dir);
        assertThat(parse("stop", "--state-dir", "/tmp/x").options().stateDir()).isEqualTo(dir);
        LauncherCommand token = parse("token", "alice@canopy.example", "--state-dir", "/tmp/x");
        assertThat(token.options().stateDir()).isEqualTo(dir);
        assertThat(token.user()).isEqualTo("alice@canopy.example");
        assertThat(token.roles()).isEmpty();
        LauncherCommand devArgs = parse("dev-args", "--state-dir", "/tmp/x", "cost-service");
        assertThat(devArgs.options().stateDir()).isEqualTo(dir);
        assertThat(devArgs.service()).isEqualTo(CanopyService.COST);

        assertThat(parse("up", "--state-dir", "/tmp/x").options().stateDirArgument()).isEqualTo(" --state-dir /tmp/x");
    }

    @Test
    void devArgsNeedsExactlyOneKnownService() {
        assertThatThrownBy(() -> parse("dev-args")).hasMessageContaining("exactly one service");
        assertThatThrownBy(() -> parse("dev-args", "cost-service", "tag-sync-service"))
                .hasMessageContaining("exactly one service");
        assertThatThrownBy(() -> parse("dev-args", "COST")).hasMessageContaining("no service 'COST'")
                .hasMessageContaining("cost-service");
    }

    @Test
    void theWithoutOptionTakesModuleNames() {
        assertThat(parse("up", "--without", "cost-service").options().omitted()).containsExactly(CanopyService.COST);
        assertThatThrownBy(() -> parse("up", "--without", "cost")).hasMessageContaining("no service 'cost'");
    }

    @Test
    void theTokenCommandTakesTheRolesTheServicesRead() {
        LauncherCommand token = parse("token", "anyone@example.com", "admin:" + TREY, "tag-editor:" + TREY,
                "viewer:" + TREY.toUpperCase(), "ops");

        assertThat(token.roles()).containsExactly("admin:" + TREY, "tag-editor:" + TREY, "viewer:" + TREY.toUpperCase(),
                "ops");
    }

    @ParameterizedTest
    @ValueSource(strings = {"admin;bad", "admin:", "superuser:x", "superuser:" + TREY, "admin:trey", "ops:" + TREY,
            "Admin:" + TREY, " ops", "viewer:" + TREY + "x"})
    void aMalformedRoleIsRefusedWithTheAcceptedForms(String role) {
        assertThatThrownBy(() -> parse("token", "alice@canopy.example", role))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + role + "'")
                .hasMessageContaining("admin:<tenant>, tag-editor:<tenant>, viewer:<tenant> or ops");
    }

    @Test
    void aUserWithOrWithoutRolesIsParsed() {
        // Whether a user without roles exists is the running emulator's answer (ControlAndWorldTest).
        assertThat(parse("token", "ALICE@canopy.example").user()).isEqualTo("ALICE@canopy.example");
        assertThat(parse("token", "ALICE@canopy.example").roles()).isEmpty();
        assertThat(parse("token", "nobody@nowhere.example", "ops").roles()).containsExactly("ops");
        assertThatThrownBy(() -> parse("token")).hasMessageContaining("token needs a user name");
    }
}
