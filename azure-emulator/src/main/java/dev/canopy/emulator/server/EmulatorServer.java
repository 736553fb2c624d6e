package dev.canopy.emulator.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.canopy.emulator.faults.Faults;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;

/**
 * The HTTPS server: the JDK's {@link HttpsServer} on 127.0.0.1 with a thread pool, one context that routes every
 * request, injects faults, adds ARM's response headers and writes the request log.
 */
public final class EmulatorServer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EmulatorServer.class.getName());
    private static final DateTimeFormatter ROUTING_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    static {
        // The JDK server writes headers and body separately; with Nagle on, a client's delayed ACK stalls every
        // response by ~40 ms. Read once by the JDK when its first server starts, so set it before that.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final HttpsServer server;
    private final ExecutorService executor;
    private final List<Route> routes;
    private final Faults faults;
    private final RequestLog log;
    private final Clock clock;
    private final String baseUrl;

    public EmulatorServer(int port, SSLContext sslContext, int threads, List<Route> routes, Faults faults,
                          RequestLog log, Clock clock) throws IOException {
        this.routes = List.copyOf(routes);
        this.faults = faults;
        this.log = log;
        this.clock = clock;
        // Only the loopback interface: nothing outside this machine may reach the emulator.
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
        server.setHttpsConfigurator(new HttpsConfigurator(sslContext));
        AtomicInteger n = new AtomicInteger();
        executor = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "azure-emulator-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        baseUrl = "https://127.0.0.1:" + server.getAddress().getPort();
    }

    public void start() {
        server.start();
    }

    public String baseUrl() {
        return baseUrl;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        Instant received = clock.instant();
        String requestId = UUID.randomUUID().toString();
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        // getRequestURI().toString() is the request target as sent; getRawPath() would read "//subscriptions/x"
        // as an authority named "subscriptions".
        Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
                exchange.getRequestHeaders(), body, baseUrl, requestId);
        Route route = match(request);
        Response response;
        if (route == null) {
            response = noRoute(request);
        } else {
            Faults.Decision decision = route.kind() == Route.Kind.CONTROL ? Faults.Decision.NONE : faults.decide(route.name());
            request.faults(decision);
            if (decision.latencyMillis() > 0) {
                pause(decision.latencyMillis());
            }
            if (decision.drop()) {
                log(request, 0, received);
                exchange.close();
                return;
            }
            response = decision.errorStatus() > 0 ? injectedError(route, decision.errorStatus()) : invoke(route, request);
        }
        if (route == null || route.kind() == Route.Kind.ARM) {
            armHeaders(request, response);
        }
        request.responseHeaders().forEach(response::header);
        // Logged before the response leaves: a client that has its answer must find the request in the log
        // (tests judge "what did Canopy send to Azure" by the log the moment a call returns).
        log(request, response.status(), received);
        send(exchange, request, response);
    }

    private Route match(Request request) {
        Route pathOnly = null;
        for (Route route : routes) {
            Matcher m = route.pattern().matcher(request.path());
            if (m.matches()) {
                if (route.method().equalsIgnoreCase(request.method())) {
                    request.matched(route, m);
                    return route;
                }
                pathOnly = route;
            }
        }
        if (pathOnly != null) {
            request.matched(pathOnly, null);
        }
        return null;
    }

    private Response noRoute(Request request) {
        if (request.route() != null) {
            return new ArmException(405, "MethodNotAllowed", "The requested resource does not support http method '"
                    + request.method() + "'.").toResponse();
        }
        return new ArmException(404, "NotFound", "No HTTP resource was found that matches the request URI '"
                + request.rawTarget() + "'.").toResponse();
    }

    private static Response invoke(Route route, Request request) {
        try {
            return route.handler().handle(request);
        } catch (HttpError e) {
            return e.toResponse();
        } catch (Exception e) {
            LOG.log(Level.WARNING, "handler " + route.name() + " failed", e);
            return new ArmException(500, "InternalServerError", "The emulator failed: " + e).toResponse();
        }
    }

    private static Response injectedError(Route route, int status) {
        if (route.kind() == Route.Kind.ENTRA) {
            return Response.json(status, Json.object().put("error", "temporarily_unavailable")
                    .put("error_description", "AADSTS90033: A transient error has occurred. Please try again."));
        }
        return status == 503
                ? new ArmException(503, "ServiceUnavailable", "The server is currently unable to handle the request.").toResponse()
                : new ArmException(status, "InternalServerError", "Encountered internal server error.").toResponse();
    }

    private void armHeaders(Request request, Response response) {
        String correlation = request.header("x-ms-correlation-request-id");
        response.header("Cache-Control", "no-cache")
                .header("Pragma", "no-cache")
                .header("Expires", "-1")
                .header("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
                .header("X-Content-Type-Options", "nosniff")
                .header("x-ms-request-id", request.requestId())
                .header("x-ms-correlation-request-id", correlation != null ? correlation : request.requestId())
                .header("x-ms-routing-request-id", "LOCALEMULATOR:" + ROUTING_TIME.format(clock.instant()) + ":"
                        + request.requestId());
        String clientRequestId = request.header("x-ms-client-request-id");
        if (clientRequestId != null) {
            response.header("x-ms-client-request-id", clientRequestId);
        }
    }

    private static void send(HttpExchange exchange, Request request, Response response) throws IOException {
        response.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        byte[] body = response.body();
        boolean noBody = body.length == 0 || "HEAD".equalsIgnoreCase(request.method());
        exchange.sendResponseHeaders(response.status(), noBody ? -1 : body.length);
        if (!noBody) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
        exchange.close();
    }

    private void log(Request request, int status, Instant received) {
        log.add(new RequestLog.Entry(clock.instant(), request.method(), request.rawTarget(),
                request.route() == null ? null : request.route().name(), request.principal(), status,
                request.requestId(), received));
    }

    // Fault injection's added latency: holding the request on its server thread is exactly what is simulated
    // (a slow Azure), so a plain sleep is right here; tests never sleep, they wait on conditions.
    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
