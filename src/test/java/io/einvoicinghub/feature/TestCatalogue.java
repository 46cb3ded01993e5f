package io.einvoicinghub.feature;

import io.einvoicinghub.HubProperties;
import io.einvoicinghub.processing.action.ActionCatalogue;
import io.einvoicinghub.processing.action.ActionComponent;
import io.einvoicinghub.processing.action.TransformAction;
import io.einvoicinghub.processing.action.ValidateAction;
import io.einvoicinghub.secrets.KeyMaterials;
import io.einvoicinghub.secrets.LocalSecretStore;
import io.einvoicinghub.secrets.SecretsProperties;
import io.einvoicinghub.transform.UnifiedJsonToXml;
import io.einvoicinghub.validation.FindingSourceMapper;
import io.einvoicinghub.validation.OfficialRulesValidator;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The real action component with the transform and validate actions, for routes built outside the hub. */
final class TestCatalogue {

    private TestCatalogue() {
    }

    static ActionComponent component(Path dir) {
        HubProperties properties = new HubProperties(dir, dir, Path.of("transformations"), "t", null, null, null);
        ActionCatalogue catalogue = new ActionCatalogue(List.of(new TransformAction(new UnifiedJsonToXml(), properties),
                new ValidateAction(new OfficialRulesValidator(), new FindingSourceMapper(Map.of()), properties)));
        LocalSecretStore secrets = new LocalSecretStore(dir.resolve("secrets"), Map.of());
        SecretsProperties secretsProperties = new SecretsProperties("local", new SecretsProperties.Local(dir.resolve("secrets").toString()),
                new SecretsProperties.Azure(null, null, null, null, null, false, 3), java.time.Duration.ofMinutes(5));
        return new ActionComponent(catalogue, null, secrets, new KeyMaterials(secrets, secretsProperties));
    }
}
