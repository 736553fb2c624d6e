package dev.canopy.cost.rest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.canopy.platform.problem.Problem;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Answers a request whose declared body (Content-Length) is larger than {@code quarkus.http.limits.max-body-size}
 * with 413 {@code application/problem+json}, before anything is read. Quarkus enforces the same limit one step later
 * with an empty 413; this runs first so the caller learns the limit. A chunked body (no Content-Length) that grows
 * past the limit is still cut off by Quarkus itself, with its empty 413.
 */
@ApplicationScoped
public class BodySizeLimit {

    private final long limit;
    private final byte[] tooLarge;

    public BodySizeLimit(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize limit,
            ObjectMapper json) throws JsonProcessingException {
        this.limit = limit.asLongValue();
        this.tooLarge = json.writeValueAsBytes(new Problem(Problem.TYPE_BASE + "payload-too-large",
                "Payload too large", HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE.code(),
                "the request body is larger than the " + this.limit + " bytes cost-service accepts in one request",
                null, null));
    }

    void install(@Observes Router router) {
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(this::check);
    }

    private void check(RoutingContext context) {
        String length = context.request().getHeader(HttpHeaderNames.CONTENT_LENGTH);
        if (length != null && declared(length) > limit) {
            // As Quarkus does: close the connection rather than read (and discard) a body that may be gigabytes.
            context.response().setStatusCode(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE.code())
                    .putHeader(HttpHeaderNames.CONTENT_TYPE, Problem.MEDIA_TYPE)
                    .putHeader(HttpHeaderNames.CONNECTION, "close")
                    .endHandler(ended -> context.request().connection().close());
            context.response().end(Buffer.buffer(tooLarge));
            return;
        }
        context.next();
    }

    private static long declared(String length) {
        try {
            return Long.parseLong(length.strip());
        } catch (NumberFormatException e) {
            return -1; // not ours to judge: Vert.x rejects a malformed Content-Length itself
        }
    }
}
