package dev.canopy.emulator.arm;

import dev.canopy.emulator.server.ArmException;
import dev.canopy.emulator.server.Request;

import java.util.Set;

/** The api-versions each ARM area accepts (AZURE-CONTRACTS §5, plus what the Azure SDK for Java sends). */
public enum ApiVersions {
    SUBSCRIPTIONS("2016-06-01", "2019-06-01", "2019-11-01", "2020-01-01", "2021-01-01", "2022-12-01"),
    RESOURCES("2019-10-01", "2020-06-01", "2020-10-01", "2021-01-01", "2021-04-01", "2022-09-01", "2023-07-01",
            "2024-03-01", "2024-07-01", "2024-11-01", "2025-03-01", "2025-04-01"),
    AUTHORIZATION("2015-07-01", "2018-01-01-preview", "2018-09-01-preview", "2020-04-01-preview", "2020-08-01-preview",
            "2020-10-01-preview", "2021-04-01-preview", "2022-04-01", "2022-05-01-preview"),
    COST_MANAGEMENT("2019-11-01", "2021-10-01", "2022-10-01", "2023-03-01", "2023-08-01", "2023-11-01",
            "2024-08-01", "2025-03-01"),
    MANAGEMENT_PARTNER("2018-02-01"),
    OPERATION_RESULTS("2018-08-01", "2019-10-01", "2021-04-01", "2022-09-01", "2023-07-01", "2024-03-01",
            "2024-07-01", "2024-11-01", "2025-03-01", "2025-04-01");

    private final Set<String> versions;

    ApiVersions(String... versions) {
        this.versions = Set.of(versions);
    }

    /**
     * @return the request's api-version
     * @throws ArmException 400 MissingApiVersionParameter or InvalidApiVersionParameter
     */
    public String require(Request request) {
        String version = request.query("api-version");
        if (version == null || version.isBlank()) {
            throw ArmException.badRequest("MissingApiVersionParameter",
                    "The api-version query parameter (?api-version=) is required for all requests.");
        }
        if (!versions.contains(version)) {
            throw ArmException.badRequest("InvalidApiVersionParameter", "The api-version '" + version
                    + "' is invalid. The supported versions are '" + String.join(",", versions.stream().sorted().toList()) + "'.");
        }
        return version;
    }
}
