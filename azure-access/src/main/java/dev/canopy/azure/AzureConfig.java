package dev.canopy.azure;

import java.nio.file.Path;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where Entra ID and Azure Resource Manager are, whom to trust there, and Canopy's app: Azure's public cloud by default. */
@ConfigMapping(prefix = "canopy.azure")
public interface AzureConfig {

    /** The ARM endpoint (AzureEnvironment's resourceManagerEndpointUrl). */
    @WithDefault("https://management.azure.com/")
    String armEndpoint();

    /** The Entra ID authority host. */
    @WithDefault("https://login.microsoftonline.com")
    String authorityHost();

    /** MSAL instance discovery; off only for an authority MSAL does not know (the emulator). */
    @WithDefault("true")
    boolean instanceDiscovery();

    /** A PKCS12 trust store for Entra ID and ARM; absent means the JVM's default trust (production). */
    Optional<Path> trustStore();

    /** Its password. */
    Optional<String> trustStorePassword();

    /** Canopy's multi-tenant app id; its service principal acts in each customer tenant. */
    String clientId();

    /** Canopy's app secret (from the environment; never logged). */
    String clientSecret();
}
