package io.einvoicinghub.storage;

import io.einvoicinghub.testsupport.AzuriteExtension;
import org.apache.camel.spring.boot.CamelAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link StorageConfiguration} alone (plus Camel's auto-configuration): one store, chosen by hub.storage.type. */
@ExtendWith(AzuriteExtension.class)
class ArtifactStoreConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CamelAutoConfiguration.class))
            .withUserConfiguration(StorageConfiguration.class);

    @TempDir
    Path root;

    @Test
    void defaultsToTheLocalFolderBackend() {
        runner.withPropertyValues("hub.storage.local.root=" + root).run(context -> {
            assertThat(context).hasSingleBean(ArtifactStore.class);
            assertThat(context.getBean(ArtifactStore.class)).isInstanceOf(LocalFolderArtifactStore.class);
            StorageProperties properties = context.getBean(StorageProperties.class);
            assertThat(properties.type()).isEqualTo("local");
            assertThat(properties.azure().container()).isEqualTo("einvoicing");
            assertThat(properties.azure().createContainer()).isTrue();
        });
    }

    @Test
    void defaultRootIsDataStorage() {
        runner.withPropertyValues("hub.storage.type=azure-blob", "hub.storage.azure.connection-string="
                + AzuriteExtension.azurite().connectionString()).run(context -> {
            StorageProperties properties = context.getBean(StorageProperties.class);
            assertThat(properties.local().root()).isEqualTo("./data/storage");
            assertThat(properties.toString()).doesNotContain(AzuriteExtension.ACCOUNT_KEY);
        });
    }

    @Test
    void azureBlobTypeGivesTheBlobBackendThroughCamel() {
        runner.withPropertyValues(
                "hub.storage.type=azure-blob",
                "hub.storage.azure.container=config-test",
                "hub.storage.azure.connection-string=" + AzuriteExtension.azurite().connectionString()).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).hasSingleBean(ArtifactStore.class);
            ArtifactStore store = context.getBean(ArtifactStore.class);
            assertThat(store).isInstanceOf(AzureBlobArtifactStore.class);

            byte[] content = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
            store.put("acme/2025/01/31/s1/01-submission.json", content, "application/json");
            assertThat(store.get("acme/2025/01/31/s1/01-submission.json")).hasValueSatisfying(b -> assertThat(b).isEqualTo(content));
            assertThat(store.list("acme/")).containsExactly("acme/2025/01/31/s1/01-submission.json");
        });
    }

    @Test
    void anUnknownTypeFailsAtStartup() {
        runner.withPropertyValues("hub.storage.type=s3").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("hub.storage.type must be");
        });
    }

    @Test
    void azureBlobTypeWithoutCredentialsFailsWithoutLeakingTheToken() {
        runner.withPropertyValues(
                "hub.storage.type=azure-blob",
                "hub.storage.azure.account-name=acct",
                "hub.storage.azure.sas-token=sv=2021&sig=verysecretsignature").run(context -> {
            assertThat(context).hasFailed();
            Throwable failure = context.getStartupFailure();
            for (Throwable t = failure; t != null; t = t.getCause()) {
                assertThat(String.valueOf(t.getMessage())).doesNotContain("verysecretsignature");
            }
        });
    }
}
