package dev.canopy.testsupport.azure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import dev.canopy.emulator.AzureEmulator;
import dev.canopy.emulator.EmulatorOptions;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Runs the Azure emulator (Entra ID, ARM, and the issuer of Canopy's platform users) in-process for a Quarkus test,
 * hands the app where to find it and how to trust it, and injects it into fields marked {@link InjectAzureEmulator}.
 *
 * <p>Config handed to the app: {@code canopy.azure.*} (ARM endpoint, Entra authority host, trust store) and the
 * {@code quarkus.oidc.*} and {@code quarkus.tls.*} keys that make the platform API accept the emulator's platform
 * tokens over HTTPS.
 */
public class AzureEmulatorResource implements QuarkusTestResourceLifecycleManager {

    /** Name of the TLS configuration (Quarkus TLS registry) that trusts the emulator. */
    public static final String TLS_CONFIGURATION = "azure-emulator";

    private AzureEmulator emulator;

    @Override
    public Map<String, String> start() {
        try {
            Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "azure-emulator-");
            emulator = AzureEmulator.start(EmulatorOptions.defaults().withTrustStoreDir(dir));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("could not make a folder for the Azure emulator's trust store", e);
        }
        Map<String, String> config = new HashMap<>();
        config.put("canopy.azure.arm-endpoint", emulator.armEndpoint());
        config.put("canopy.azure.authority-host", emulator.baseUrl());
        config.put("canopy.azure.trust-store", emulator.trustStorePath().toString());
        config.put("canopy.azure.trust-store-password", emulator.trustStorePassword());
        config.put("quarkus.tls." + TLS_CONFIGURATION + ".trust-store.p12.path", emulator.trustStorePath().toString());
        config.put("quarkus.tls." + TLS_CONFIGURATION + ".trust-store.p12.password", emulator.trustStorePassword());
        config.put("quarkus.oidc.auth-server-url", emulator.platformIssuer());
        config.put("quarkus.oidc.tls.tls-configuration-name", TLS_CONFIGURATION);
        return config;
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(emulator,
                new TestInjector.AnnotatedAndMatchesType(InjectAzureEmulator.class, AzureEmulator.class));
    }

    @Override
    public void stop() {
        if (emulator != null) {
            emulator.close();
        }
    }
}
