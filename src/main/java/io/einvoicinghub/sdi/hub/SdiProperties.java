package io.einvoicinghub.sdi.hub;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code hub.sdi.*}: whether the it-fatturapa feature sends to SDI ({@code hub.sdi.send}), SDI's SdIRiceviFile address ({@code hub.sdi.endpoint}, used by features as
 * {@code {{hub.sdi.endpoint}}}), the CA its server certificate must chain to ({@code hub.sdi.trusted-certificate}, a
 * certificate name; {@code sdi-send} uses it when the step names none; empty: the JVM's authorities), and the hub's
 * TrasmissioneFatture endpoint, where SDI delivers its message files (RC, NS, MC, NE,
 * AT, DT). It is a listener of its own with mutual TLS, apart from the ERP API: SDI authenticates with its client
 * certificate, and the address is the one given to SDI at accreditation.
 *
 * <pre>
 * hub.sdi.notifications.enabled=true
 * hub.sdi.notifications.port=8443                   0 = any free port (tests)
 * hub.sdi.notifications.bind-address=0.0.0.0
 * hub.sdi.notifications.path=/TrasmissioneFatture
 * hub.sdi.notifications.server-certificate=sdi-endpoint     certificate (with key) the endpoint presents
 * hub.sdi.notifications.trusted-certificate=sdi-client-ca   the CA of SDI's client certificate; nobody else gets in
 * </pre>
 */
@ConfigurationProperties(prefix = "hub.sdi")
public record SdiProperties(boolean send, String endpoint, String trustedCertificate, @DefaultValue Notifications notifications) {

    public SdiProperties {
        trustedCertificate = trustedCertificate == null || trustedCertificate.isBlank() ? null : trustedCertificate;
    }

    public record Notifications(@DefaultValue("false") boolean enabled, @DefaultValue("8443") int port,
                                @DefaultValue("0.0.0.0") String bindAddress, @DefaultValue("/TrasmissioneFatture") String path,
                                String serverCertificate, String trustedCertificate,
                                @DefaultValue("10485760") int maxRequestBytes) {
    }
}
