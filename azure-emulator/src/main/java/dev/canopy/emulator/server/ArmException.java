package dev.canopy.emulator.server;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.Map;

/** An ARM error: answered as {@code {"error":{"code","message"}}} with its HTTP status and extra headers. */
public class ArmException extends HttpError {

    private final int status;
    private final String code;
    private final Map<String, String> headers = new LinkedHashMap<>();

    public ArmException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    public ArmException header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    @Override
    public Response toResponse() {
        ObjectNode error = Json.object();
        error.putObject("error").put("code", code).put("message", getMessage());
        Response response = Response.json(status, error);
        headers.forEach(response::header);
        return response;
    }

    public static ArmException badRequest(String code, String message) {
        return new ArmException(400, code, message);
    }

    public static ArmException notFound(String code, String message) {
        return new ArmException(404, code, message);
    }
}
