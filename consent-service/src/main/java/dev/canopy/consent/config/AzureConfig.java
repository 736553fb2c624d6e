package dev.canopy.consent.config;

import java.nio.file.Path;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where Entra ID and Azure Resource Manager are: Azure's public cloud by default, the emulator in tests. */
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
}
