package io.einvoicinghub.sdi.hub;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.einvoicinghub.sdi.SdiNotification;
import io.einvoicinghub.sdi.SdiSoap;
import io.einvoicinghub.sdi.SdiXml;
import io.einvoicinghub.secrets.KeyMaterials;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

import javax.net.ssl.SSLParameters;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The hub's {@code TrasmissioneFatture} web service (TrasmissioneFatture_v1.1.wsdl), which SDI calls with each message
 * file about a file the hub transmitted. It listens on a port of its own with mutual TLS ({@link SdiProperties}): only a
 * client whose certificate chains to the configured SDI CA completes the handshake. Each operation is one-way: a
 * message taken (or already taken) is answered 202 with no body, so SDI stops delivering it; a request that is not a
 * TrasmissioneFatture message is answered with a SOAP fault and logged.
 */
@Component
@EnableConfigurationProperties(SdiProperties.class)
public class SdiNotificationEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(SdiNotificationEndpoint.class);

    private final SdiProperties.Notifications properties;
    private final KeyMaterials keys;
    private final SdiTransmissions transmissions;
    private HttpsServer server;
    private ExecutorService executor;

    public SdiNotificationEndpoint(SdiProperties properties, KeyMaterials keys, SdiTransmissions transmissions) {
        this.properties = properties.notifications();
        this.keys = keys;
        this.transmissions = transmissions;
    }

    @PostConstruct
    void start() throws IOException {
        if (!properties.enabled()) {
            return;
        }
        if (properties.serverCertificate() == null || properties.trustedCertificate() == null) {
            throw new IllegalStateException("hub.sdi.notifications needs server-certificate and trusted-certificate "
                    + "(the endpoint is mutual TLS: SDI's client CA must be named)");
        }
        var tls = keys.tlsContext(properties.serverCertificate(), properties.trustedCertificate());
        server = HttpsServer.create(new InetSocketAddress(properties.bindAddress(), properties.port()), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters ssl = getSSLContext().getDefaultSSLParameters();
                ssl.setNeedClientAuth(true);
                params.setSSLParameters(ssl);
            }
        });
        executor = Executors.newFixedThreadPool(4);
        server.setExecutor(executor);
        server.createContext(properties.path(), this::handle);
        server.start();
        LOG.info("SDI TrasmissioneFatture endpoint listening on https://{}:{}{} (mutual TLS, trusting '{}')",
                properties.bindAddress(), port(), properties.path(), properties.trustedCertificate());
    }

    /** The port it listens on (the configured one, or the one chosen for port 0), -1 when disabled. */
    public int port() {
        return server == null ? -1 : server.getAddress().getPort();
    }

    @PreDestroy
    void stop() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                reply(exchange, 405, SdiSoap.fault("Client", "TrasmissioneFatture takes POST"));
                return;
            }
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            if (contentType == null || !contentType.toLowerCase(Locale.ROOT).contains("xml")) {
                reply(exchange, 415, SdiSoap.fault("Client", "a SOAP 1.1 message (text/xml) is expected, not " + contentType));
                return;
            }
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readNBytes(properties.maxRequestBytes() + 1);
            }
            if (body.length > properties.maxRequestBytes()) {
                reply(exchange, 413, SdiSoap.fault("Client", "message larger than " + properties.maxRequestBytes() + " bytes"));
                return;
            }
            SdiSoap.MessageDelivery delivery;
            SdiNotification notification;
            try {
                delivery = SdiSoap.parseMessageDelivery(body);
                notification = SdiNotification.parse(delivery.file());
                String expected = SdiSoap.Operation.valueOf(delivery.operation()).messageType;
                if (!expected.equals(notification.type().name())) {
                    throw new SdiXml.SdiMessageException("operation " + delivery.operation() + " carries a "
                            + notification.type().element + " message");
                }
                if (!delivery.identificativoSdI().equals(notification.identificativoSdI())) {
                    throw new SdiXml.SdiMessageException("IdentificativoSdI " + delivery.identificativoSdI()
                            + " of the call differs from the message's " + notification.identificativoSdI());
                }
            } catch (SdiXml.SdiMessageException e) {
                LOG.warn("SDI TrasmissioneFatture: refused a request of {} bytes from {}: {}", body.length,
                        exchange.getRemoteAddress(), e.getMessage());
                reply(exchange, 500, SdiSoap.fault("Client", e.getMessage()));
                return;
            }
            SdiTransmissions.Receipt receipt = transmissions.receive(delivery.fileName(), notification,
                    new String(delivery.file(), StandardCharsets.UTF_8));
            switch (receipt) {
                case ACCEPTED -> LOG.info("SDI {} {} for {} (IdentificativoSdI {})", notification.type(), delivery.fileName(),
                        notification.invoiceFileName(), notification.identificativoSdI());
                case ALREADY_RECEIVED -> LOG.info("SDI delivered {} again; the first delivery counts", delivery.fileName());
                case NO_TRANSMISSION -> LOG.warn("SDI {} {} is about file {}, which this hub did not send; kept in sdi_notification",
                        notification.type(), delivery.fileName(), notification.invoiceFileName());
            }
            exchange.sendResponseHeaders(202, -1);
        } catch (RuntimeException e) {
            LOG.error("SDI TrasmissioneFatture: could not take a message: {}", e.toString());
            reply(exchange, 500, SdiSoap.fault("Server", "the message could not be kept; deliver it again"));
        }
    }

    private static void reply(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", SdiSoap.CONTENT_TYPE);
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }
}
