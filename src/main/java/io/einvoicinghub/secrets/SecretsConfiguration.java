package io.einvoicinghub.secrets;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.nio.file.Path;

/** Creates the hub's {@link SecretStore} from {@code hub.secrets.backend}. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SecretsProperties.class)
public class SecretsConfiguration {

    @Bean
    @ConditionalOnMissingBean(SecretStore.class)
    @ConditionalOnProperty(prefix = "hub.secrets", name = "backend", havingValue = SecretsProperties.LOCAL, matchIfMissing = true)
    public SecretStore localSecretStore(SecretsProperties properties) {
        return new LocalSecretStore(Path.of(properties.local().dir()), System.getenv());
    }
}
