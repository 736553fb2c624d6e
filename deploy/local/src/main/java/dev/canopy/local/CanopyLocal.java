package dev.canopy.local;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

/**
 * The command line of the local stack: {@code demo}, {@code up}, {@code stop}, {@code token}, {@code dev-args} and
 * {@code preflight}, which the {@code canopy-local} script runs before it builds.
 */
public final class CanopyLocal {

    static final String USAGE = """
            usage: deploy/local/canopy-local <command> [options]
              demo [--keep]          start the stack, run the demo, print the summary; stop everything unless --keep
              up                     start the stack and leave it running (like demo --keep, without the demo)
              stop                   stop a stack left running by demo --keep or up
              dev-args <service>     the -D flags that run <service> in dev mode against a stack started with
                                     up --without <service> (./mvnw -pl <service> quarkus:dev $(... dev-args <service>))
              token <user> [role..]  print a platform bearer token for the running stack, e.g.
                                     token alice@canopy.example admin:5b2d3f6a-7c1e-4e0a-9f3b-2a6c1d8e4f70
                                     roles: admin:<tenant>, tag-editor:<tenant>, viewer:<tenant> (<tenant>: a GUID),
                                     ops; without roles, a sample user's own (alice, tom, vera, ops @canopy.example)
              preflight <demo|up> [options]
                                     only check what demo or up would refuse (arguments, a stack already running,
                                     ports); the script runs it before it builds
            options:
              --kafka-port N (9092)  --emulator-port N (8443)  --consent-port N (8081)  --collector-port N (8082)
              --tag-sync-port N (8083)  --cost-port N (8084)                                        demo, up
                                     each from 1 to 65535, and no two parts on one port
              --keep                 leave the stack running after the demo                          demo
              --without <service>    leave a service out, to run it in dev mode instead              up
              --state-dir DIR        logs, pids and TLS material (deploy/local/.run)   demo, up, stop, token, dev-args
            build (the script, for demo and up): after preflight, ./mvnw -pl deploy/local -am package -DskipTests
              runs unless nothing under a pom.xml or a module's src/ changed since its last successful build
              ("up to date, not rebuilding"); CANOPY_LOCAL_SKIP_BUILD=1 never builds
            """;
    private static final String HELP_HINT = "(deploy/local/canopy-local --help lists the commands and their options)";

    private CanopyLocal() {
    }

    public static void main(String[] args) {
        PrintStream out = System.out;
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            out.print(USAGE);
            System.exit(0);
        }
        if (args.length == 0) {
            System.err.print(USAGE);
            System.exit(2);
        }
        Path root = Path.of(System.getProperty("canopy.root", ".")).toAbsolutePath().normalize();
        try {
            run(root, List.of(args), out);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(HELP_HINT);
            System.exit(2);
        } catch (StackProcess.Interrupted e) {
            System.err.println(e.getMessage());
            System.exit(130);
        } catch (RuntimeException e) {
            System.err.println("FAILED: " + e.getMessage());
            System.exit(1);
        }
        // Kafka's and the JDK HTTP client's threads must not keep a finished command alive.
        System.exit(0);
    }

    private static void run(Path root, List<String> args, PrintStream out) {
        if (args.get(0).equals("preflight")) {
            preflight(root, args.subList(1, args.size()), out);
            return;
        }
        LauncherCommand command = LauncherCommand.parse(root, args);
        switch (command.name()) {
            case "demo", "up" -> start(command, out);
            case "stop" -> stop(command.options().stateDir(), out);
            case "token" -> token(command, out);
            case "dev-args" -> devArgs(command, out);
            default -> throw new IllegalStateException("no handling of " + command.name());
        }
    }

    /** What demo or up would refuse at their start, checked without starting anything (exit code 0: none). */
    static void preflight(Path root, List<String> args, PrintStream out) {
        if (args.isEmpty() || !(args.get(0).equals("demo") || args.get(0).equals("up"))) {
            throw new IllegalArgumentException("preflight checks demo or up, e.g. preflight up --consent-port 9081");
        }
        LocalStack.preflight(LauncherCommand.parse(root, args).options());
    }

    private static void start(LauncherCommand command, PrintStream out) {
        StackOptions options = command.options();
        Progress progress = new Progress(out);
        boolean keep = command.keep() || command.name().equals("up");
        progress.step("Starting Canopy's local stack (state, logs and pids in " + options.stateDir() + ")");
        LocalStack stack = LocalStack.start(options, progress);
        boolean succeeded = false;
        try {
            progress.step("Stack ready in " + progress.elapsed().toSeconds() + " s");
            if (command.name().equals("demo")) {
                DemoReport report = new DemoStory(stack, progress).run();
                report.print(out);
            }
            succeeded = true;
        } finally {
            if (keep) {
                stack.detach();
                out.printf("%nThe stack keeps running%s. Try:%n", succeeded ? "" : " (for a look at what failed)");
                out.printf("  TOKEN=$(deploy/local/canopy-local token %s admin:%s%s)%n", DemoStory.ADMIN,
                        dev.canopy.emulator.world.SampleWorld.TREY_TENANT_ID, options.stateDirArgument());
                out.printf("  curl --cacert %s -H \"Authorization: Bearer $TOKEN\" %s/tenants%n", stack.caPem(),
                        stack.serviceUrl(CanopyService.CONSENT));
                out.printf("Stop it with: deploy/local/canopy-local stop%s%n", options.stateDirArgument());
            } else {
                progress.step("Stopping the stack (SIGTERM to every process)" + (succeeded ? "" : "; logs stay in "
                        + stack.logDir()));
                stack.close();
                progress.step("Stopped after " + progress.elapsed().toSeconds() + " s in all");
            }
        }
    }

    private static void stop(Path stateDir, PrintStream out) {
        Progress progress = new Progress(out);
        if (!LocalStack.stop(stateDir, progress)) {
            out.println("no local stack is recorded in " + stateDir + "; nothing to stop");
            return;
        }
        progress.step("stopped");
    }

    private static Properties runningStack(StackOptions options) {
        return LocalStack.readState(options.stateDir()).orElseThrow(() -> new IllegalStateException(
                "no local stack is running from " + options.stateDir() + "; start one with deploy/local/canopy-local up"
                        + options.stateDirArgument()));
    }

    private static void devArgs(LauncherCommand command, PrintStream out) {
        out.println(String.join(" ", LocalStack.recordedConfig(runningStack(command.options()), command.service())
                .entrySet().stream().map(e -> "-D" + e.getKey() + "=" + e.getValue()).toList()));
    }

    private static void token(LauncherCommand command, PrintStream out) {
        Properties state = runningStack(command.options());
        LocalTls tls = LocalTls.existing(Path.of(state.getProperty("tls.dir")),
                Path.of(state.getProperty("emulator.trust-store")));
        out.println(new StackClient(tls.clientContext()).mintedToken(state.getProperty("emulator.url"), command.user(),
                command.roles()));
    }
}
