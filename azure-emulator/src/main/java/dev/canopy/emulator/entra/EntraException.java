package dev.canopy.emulator.entra;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.canopy.emulator.server.HttpError;
import dev.canopy.emulator.server.Json;
import dev.canopy.emulator.server.Response;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/** An error of Entra's token endpoint, answered in Entra's JSON shape with an AADSTS code. */
public final class EntraException extends HttpError {

    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);

    private final int status;
    private final String error;
    private final int aadsts;

    /**
     * @param error the OAuth error, e.g. {@code invalid_client}
     * @param aadsts the AADSTS number, e.g. 7000215
     */
    public EntraException(int status, String error, int aadsts, String message) {
        super("AADSTS" + aadsts + ": " + message);
        this.status = status;
        this.error = error;
        this.aadsts = aadsts;
    }

    public static EntraException badRequest(String error, int aadsts, String message) {
        return new EntraException(400, error, aadsts, message);
    }

    public String error() {
        return error;
    }

    @Override
    public Response toResponse() {
        String traceId = UUID.randomUUID().toString();
        String correlationId = UUID.randomUUID().toString();
        String timestamp = TIMESTAMP.format(Instant.now());
        ObjectNode body = Json.object();
        body.put("error", error);
        body.put("error_description", getMessage() + "\r\nTrace ID: " + traceId + "\r\nCorrelation ID: "
                + correlationId + "\r\nTimestamp: " + timestamp);
        body.putArray("error_codes").add(aadsts);
        body.put("timestamp", timestamp);
        body.put("trace_id", traceId);
        body.put("correlation_id", correlationId);
        body.put("error_uri", "https://login.microsoftonline.com/error?code=" + aadsts);
        return Response.json(status, body).header("Cache-Control", "no-store, no-cache").header("Pragma", "no-cache");
    }
}
