package dev.canopy.local;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.canopy.emulator.world.SampleWorld;

/**
 * One command line of the launcher, parsed and checked the same way for every command before anything starts: a
 * mistake (an unknown argument, a port out of range, two parts on one port, a malformed role) is an
 * {@link IllegalArgumentException} naming the argument, never a half-started stack.
 *
 * @param name the command: {@code demo}, {@code up}, {@code stop}, {@code token} or {@code dev-args}
 * @param options the stack's options (only the state folder matters to stop, token and dev-args)
 * @param keep {@code demo --keep}
 * @param operands what is not an option: token's user and roles, dev-args' service
 */
record LauncherCommand(String name, StackOptions options, boolean keep, List<String> operands) {

    static final String KEEP = "--keep";
    static final String STATE_DIR = "--state-dir";
    static final String WITHOUT = "--without";
    private static final List<String> PORT_OPTIONS = List.of("--kafka-port", "--emulator-port", "--consent-port",
            "--collector-port", "--tag-sync-port", "--cost-port");

    /** The options each command takes (CanopyLocal's usage text lists them per command too). */
    static final Map<String, List<String>> OPTIONS = Map.of(
            "demo", concat(PORT_OPTIONS, List.of(STATE_DIR, KEEP)),
            "up", concat(PORT_OPTIONS, List.of(STATE_DIR, WITHOUT)),
            "stop", List.of(STATE_DIR),
            "token", List.of(STATE_DIR),
            "dev-args", List.of(STATE_DIR));

    // The rule of service-platform's TenantRoles: "<role>:<tenant id>" for the per-tenant roles, a bare "ops". The
    // services silently ignore an entry they cannot read, so a typo here would give a token that is refused later
    // with 403/404 and no hint why; tenant ids are Entra ID GUIDs.
    private static final Pattern ROLE = Pattern.compile(
            "ops|(admin|tag-editor|viewer):\\p{XDigit}{8}-\\p{XDigit}{4}-\\p{XDigit}{4}-\\p{XDigit}{4}-\\p{XDigit}{12}");
    static final String ROLE_FORMS = "admin:<tenant>, tag-editor:<tenant>, viewer:<tenant> or ops (<tenant>: a tenant"
            + " id, a GUID such as " + SampleWorld.TREY_TENANT_ID + ")";

    LauncherCommand {
        operands = List.copyOf(operands);
    }

    /** Parses {@code args} (the command first) for the repository at {@code root}. */
    static LauncherCommand parse(Path root, List<String> args) {
        if (args.isEmpty()) {
            throw new IllegalArgumentException("no command given");
        }
        String name = args.get(0);
        List<String> allowed = OPTIONS.get(name);
        if (allowed == null) {
            throw new IllegalArgumentException("unknown command '" + name + "'");
        }
        StackOptions options = StackOptions.defaults(root);
        boolean keep = false;
        List<String> operands = new ArrayList<>();
        for (int i = 1; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--")) {
                operands.add(arg);
                continue;
            }
            if (!allowed.contains(arg)) {
                throw new IllegalArgumentException(isOption(arg)
                        ? name + " does not take " + arg + "; it takes " + allowed
                        : "unknown option '" + arg + "'");
            }
            if (arg.equals(KEEP)) {
                keep = true;
                continue;
            }
            if (i + 1 >= args.size()) {
                throw new IllegalArgumentException(arg + " needs a value");
            }
            options = withOption(options, arg, args.get(++i));
        }
        LauncherCommand command = new LauncherCommand(name, options, keep, operands);
        command.check();
        return command;
    }

    /** The service dev-args names. */
    CanopyService service() {
        return service(operands.get(0));
    }

    /** The user token names. */
    String user() {
        return operands.get(0);
    }

    /** The roles token names; empty for the sample user's own. */
    List<String> roles() {
        return operands.subList(1, operands.size());
    }

    /** The module of a service, e.g. {@code cost-service}. */
    static CanopyService service(String module) {
        return Arrays.stream(CanopyService.values()).filter(s -> s.module().equals(module)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no service '" + module + "'; one of "
                        + Arrays.stream(CanopyService.values()).map(CanopyService::module).toList()));
    }

    private void check() {
        switch (name) {
            case "demo", "up", "stop" -> {
                if (!operands.isEmpty()) {
                    throw new IllegalArgumentException("unknown argument '" + operands.get(0) + "'");
                }
                options.requireDistinctPorts();
            }
            case "dev-args" -> {
                if (operands.size() != 1) {
                    throw new IllegalArgumentException("dev-args needs exactly one service, e.g. dev-args cost-service");
                }
                service();
            }
            case "token" -> checkToken();
            default -> throw new IllegalStateException("no check for " + name);
        }
    }

    private void checkToken() {
        if (operands.isEmpty()) {
            throw new IllegalArgumentException("token needs a user name, e.g. token alice@canopy.example");
        }
        for (String role : roles()) {
            if (!ROLE.matcher(role).matches()) {
                throw new IllegalArgumentException("role '" + role + "' is not one Canopy's services accept: "
                        + ROLE_FORMS);
            }
        }
        // Without roles, the user must be one of the running world's: the emulator says so, naming its users.
    }

    private static StackOptions withOption(StackOptions options, String option, String value) {
        return switch (option) {
            case "--kafka-port" -> options.withKafkaPort(port(option, value));
            case "--emulator-port" -> options.withEmulatorPort(port(option, value));
            case "--consent-port" -> options.withServicePort(CanopyService.CONSENT, port(option, value));
            case "--collector-port" -> options.withServicePort(CanopyService.COLLECTOR, port(option, value));
            case "--tag-sync-port" -> options.withServicePort(CanopyService.TAG_SYNC, port(option, value));
            case "--cost-port" -> options.withServicePort(CanopyService.COST, port(option, value));
            case STATE_DIR -> options.withStateDir(Path.of(value).toAbsolutePath().normalize());
            case WITHOUT -> options.without(service(value));
            default -> throw new IllegalStateException("no handling of " + option);
        };
    }

    private static int port(String option, String value) {
        try {
            int port = Integer.parseInt(value);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException notANumber) {
            // reported below, as a value out of range is
        }
        throw new IllegalArgumentException(option + " needs a port number from 1 to 65535, not '" + value + "'");
    }

    private static boolean isOption(String arg) {
        return OPTIONS.values().stream().anyMatch(options -> options.contains(arg));
    }

    private static List<String> concat(List<String> first, List<String> second) {
        return Stream.concat(first.stream(), second.stream()).toList();
    }
}
