package dev.canopy.local;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/** The command line of the local stack: {@code demo [--keep]}, {@code up}, {@code stop}, {@code token}. */
public final class CanopyLocal {

    private static final String USAGE = """
            usage: deploy/local/canopy-local <command> [options]
              demo [--keep]          start the stack, run the demo, print the summary; stop everything unless --keep
              up                     start the stack and leave it running (like demo --keep, without the demo)
              stop                   stop a stack left running by demo --keep or up
              dev-args <service>     the -D flags that run <service> in dev mode against a stack started with
                                     up --without <service> (./mvnw -pl <service> quarkus:dev $(... dev-args <service>))
              token <user> [role..]  print a platform bearer token for the running stack, e.g.
                                     token alice@canopy.example admin:5b2d3f6a-7c1e-4e0a-9f3b-2a6c1d8e4f70
                                     roles: admin:<tenant>, tag-editor:<tenant>, viewer:<tenant>, ops
            options (demo, up):
              --kafka-port N (9092)  --emulator-port N (8443)  --consent-port N (8081)  --collector-port N (8082)
              --tag-sync-port N (8083)  --cost-port N (8084)  --state-dir DIR (deploy/local/.run)
              --without <service>    (up only) leave a service out, to run it in dev mode instead
            """;

    private CanopyLocal() {
    }

    public static void main(String[] args) {
        PrintStream out = System.out;
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            out.print(USAGE);
            return;
        }
        Path root = Path.of(System.getProperty("canopy.root", ".")).toAbsolutePath().normalize();
        try {
            switch (args[0]) {
                case "demo", "up" -> run(args[0], parse(root, Arrays.copyOfRange(args, 1, args.length)), out);
                case "stop" -> stop(stateDir(root, args), out);
                case "token" -> token(stateDir(root, new String[0]), Arrays.copyOfRange(args, 1, args.length), out);
                case "dev-args" -> devArgs(stateDir(root, new String[0]), Arrays.copyOfRange(args, 1, args.length), out);
                default -> throw new IllegalArgumentException("unknown command " + args[0] + "\n" + USAGE);
            }
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        } catch (RuntimeException e) {
            System.err.println("FAILED: " + e.getMessage());
            System.exit(1);
        }
        // Kafka's and the JDK HTTP client's threads must not keep a finished command alive.
        System.exit(0);
    }

    private record Command(StackOptions options, boolean keep) {
    }

    private static Command parse(Path root, String[] args) {
        StackOptions options = StackOptions.defaults(root);
        boolean keep = false;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--keep")) {
                keep = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value of " + flag + "\n" + USAGE);
            }
            String value = args[++i];
            options = switch (flag) {
                case "--kafka-port" -> options.withKafkaPort(Integer.parseInt(value));
                case "--emulator-port" -> options.withEmulatorPort(Integer.parseInt(value));
                case "--consent-port" -> options.withServicePort(CanopyService.CONSENT, Integer.parseInt(value));
                case "--collector-port" -> options.withServicePort(CanopyService.COLLECTOR, Integer.parseInt(value));
                case "--tag-sync-port" -> options.withServicePort(CanopyService.TAG_SYNC, Integer.parseInt(value));
                case "--cost-port" -> options.withServicePort(CanopyService.COST, Integer.parseInt(value));
                case "--state-dir" -> options.withStateDir(Path.of(value).toAbsolutePath());
                case "--without" -> options.without(service(value));
                default -> throw new IllegalArgumentException("unknown option " + flag + "\n" + USAGE);
            };
        }
        return new Command(options, keep);
    }

    private static void run(String command, Command parsed, PrintStream out) {
        if (command.equals("demo") && !parsed.options().omitted().isEmpty()) {
            throw new IllegalArgumentException("the demo needs every service; --without is for up");
        }
        Progress progress = new Progress(out);
        boolean keep = parsed.keep() || command.equals("up");
        progress.step("Starting Canopy's local stack (state, logs and pids in " + parsed.options().stateDir() + ")");
        LocalStack stack = LocalStack.start(parsed.options(), progress);
        boolean succeeded = false;
        try {
            progress.step("Stack ready in " + progress.elapsed().toSeconds() + " s");
            if (command.equals("demo")) {
                DemoReport report = new DemoStory(stack, progress).run();
                report.print(out);
            }
            succeeded = true;
        } finally {
            if (keep) {
                stack.detach();
                out.printf("%nThe stack keeps running%s. Try:%n", succeeded ? "" : " (for a look at what failed)");
                out.printf("  TOKEN=$(deploy/local/canopy-local token %s admin:%s)%n", DemoStory.ADMIN,
                        dev.canopy.emulator.world.SampleWorld.TREY_TENANT_ID);
                out.printf("  curl --cacert %s -H \"Authorization: Bearer $TOKEN\" %s/tenants%n", stack.caPem(),
                        stack.serviceUrl(CanopyService.CONSENT));
                out.printf("Stop it with: deploy/local/canopy-local stop%n");
            } else {
                progress.step("Stopping the stack (SIGTERM to every process)" + (succeeded ? "" : "; logs stay in "
                        + stack.logDir()));
                stack.close();
                progress.step("Stopped after " + progress.elapsed().toSeconds() + " s in all");
            }
        }
    }

    private static Path stateDir(Path root, String[] args) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--state-dir")) {
                return Path.of(args[i + 1]).toAbsolutePath();
            }
        }
        return StackOptions.defaults(root).stateDir();
    }

    private static void stop(Path stateDir, PrintStream out) {
        Progress progress = new Progress(out);
        if (!LocalStack.stop(stateDir, progress)) {
            out.println("no local stack is recorded in " + stateDir + "; nothing to stop");
            return;
        }
        progress.step("stopped");
    }

    private static CanopyService service(String module) {
        return Arrays.stream(CanopyService.values()).filter(s -> s.module().equals(module)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no service " + module + "; one of "
                        + Arrays.stream(CanopyService.values()).map(CanopyService::module).toList()));
    }

    private static Properties runningStack(Path stateDir) {
        return LocalStack.readState(stateDir).orElseThrow(() -> new IllegalStateException(
                "no local stack is running from " + stateDir + "; start one with deploy/local/canopy-local up"));
    }

    private static void devArgs(Path stateDir, String[] args, PrintStream out) {
        if (args.length != 1) {
            throw new IllegalArgumentException("dev-args needs a service\n" + USAGE);
        }
        out.println(String.join(" ", LocalStack.recordedConfig(runningStack(stateDir), service(args[0])).entrySet()
                .stream().map(e -> "-D" + e.getKey() + "=" + e.getValue()).toList()));
    }

    private static void token(Path stateDir, String[] args, PrintStream out) {
        if (args.length == 0) {
            throw new IllegalArgumentException("token needs a user name\n" + USAGE);
        }
        Properties state = runningStack(stateDir);
        LocalTls tls = LocalTls.existing(Path.of(state.getProperty("tls.dir")),
                Path.of(state.getProperty("emulator.trust-store")));
        List<String> roles = new ArrayList<>(Arrays.asList(args).subList(1, args.length));
        out.println(new StackClient(tls.clientContext()).mintedToken(state.getProperty("emulator.url"), args[0], roles));
    }
}
