package io.einvoicinghub.inbound.channel;

import io.einvoicinghub.secrets.SecretStore;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Makes one route per configured inbound source from the templates in {@code routes/inbound/}
 * ({@code inbound-sftp-source}, {@code inbound-mail-source}, {@code inbound-blob-source}). The configuration is checked
 * when the hub starts (a source without credentials, strict host-key checking without known_hosts, a missing secret:
 * the hub refuses to start, naming the source and the entry). Credentials are read from the secret store and bound as
 * beans the routes reference, so they never appear in an endpoint URI, a log line or a route dump.
 */
@Component
public class InboundChannelRoutes implements CamelContextConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(InboundChannelRoutes.class);
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,59}");

    private final InboundChannelsProperties properties;
    private final SecretStore secrets;
    private final List<TemplatedRoute> routes;

    /** A route to make: template, route id, parameters, and the beans (credentials) it references. */
    private record TemplatedRoute(String templateId, String routeId, Map<String, String> parameters, Map<String, Object> beans,
                                  String describe, Runnable prepare) {
        TemplatedRoute(String templateId, String routeId, Map<String, String> parameters, Map<String, Object> beans,
                       String describe) {
            this(templateId, routeId, parameters, beans, describe, () -> { });
        }
    }

    public InboundChannelRoutes(InboundChannelsProperties properties, SecretStore secrets) {
        this.properties = properties;
        this.secrets = secrets;
        this.routes = plan();
    }

    @Override
    public void beforeApplicationStart(CamelContext context) {
    }

    /** After the start every YAML template is loaded; a route added to a started context starts at once. */
    @Override
    public void afterApplicationStart(CamelContext context) {
        for (TemplatedRoute route : routes) {
            route.beans().forEach((name, value) -> context.getRegistry().bind(name, value));
            try {
                route.prepare().run();
            } catch (RuntimeException e) { // e.g. the storage account unreachable now: the route reports it when it polls
                LOG.warn("Inbound channel {}: could not prepare its target folders ({})", route.routeId(), e.getMessage());
            }
            TemplatedRouteBuilder builder = TemplatedRouteBuilder.builder(context, route.templateId()).routeId(route.routeId());
            route.parameters().forEach(builder::parameter);
            builder.add();
            LOG.info("Inbound channel {} started ({})", route.routeId(), route.describe());
        }
    }

    /** Route ids of the configured sources, in configuration order. */
    public List<String> routeIds() {
        return routes.stream().map(TemplatedRoute::routeId).toList();
    }

    private List<TemplatedRoute> plan() {
        List<TemplatedRoute> planned = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (InboundChannelsProperties.Sftp sftp : properties.sftp()) {
            planned.add(sftp(checkId("sftp", sftp.id(), ids), sftp));
        }
        for (InboundChannelsProperties.Mail mail : properties.mail()) {
            planned.add(mail(checkId("mail", mail.id(), ids), mail));
        }
        for (InboundChannelsProperties.Blob blob : properties.blob()) {
            planned.add(blob(checkId("blob", blob.id(), ids), blob));
        }
        return List.copyOf(planned);
    }

    private TemplatedRoute sftp(String id, InboundChannelsProperties.Sftp s) {
        String where = "hub.inbound.channels.sftp '" + id + "'";
        require(s.host(), where + ": host is required");
        require(s.username(), where + ": username is required");
        if (s.passwordSecret() == null && s.privateKeySecret() == null) {
            throw new IllegalStateException(where + ": give password-secret or private-key-secret (or both)");
        }
        String knownHosts = s.knownHosts() != null ? s.knownHosts()
                : s.knownHostsSecret() != null ? secret(where, s.knownHostsSecret()) : null;
        if (s.strictHostKeyChecking() && (knownHosts == null || knownHosts.isBlank())) {
            throw new IllegalStateException(where + ": strict host-key checking needs known-hosts or known-hosts-secret "
                    + "(the server's line from ssh-keyscan -p PORT HOST), or strict-host-key-checking: false");
        }
        String bean = "inboundSftp." + id + ".";
        Map<String, String> p = new LinkedHashMap<>();
        Map<String, Object> beans = new LinkedHashMap<>();
        p.put("sourceId", id);
        p.put("host", s.host());
        p.put("port", Integer.toString(s.port()));
        String directory = s.directory().replaceAll("^/+|/+$", "");
        p.put("directoryPath", directory.isEmpty() ? "" : "/" + directory);
        p.put("username", s.username());
        if (s.passwordSecret() != null) {
            beans.put(bean + "password", secret(where, s.passwordSecret()));
            p.put("passwordRef", "#bean:" + bean + "password");
        }
        if (s.privateKeySecret() != null) {
            beans.put(bean + "privateKey", secret(where, s.privateKeySecret()).getBytes(StandardCharsets.UTF_8));
            p.put("privateKeyRef", "#bean:" + bean + "privateKey");
        }
        if (s.privateKeyPassphraseSecret() != null) {
            beans.put(bean + "passphrase", secret(where, s.privateKeyPassphraseSecret()));
            p.put("passphraseRef", "#bean:" + bean + "passphrase");
        }
        if (knownHosts != null && !knownHosts.isBlank()) {
            beans.put(bean + "knownHosts", knownHosts.getBytes(StandardCharsets.UTF_8));
            p.put("knownHostsRef", "#bean:" + bean + "knownHosts");
        }
        p.put("strictHostKeyChecking", s.strictHostKeyChecking() ? "yes" : "no");
        if (s.after() == InboundChannelsProperties.After.DELETE) {
            p.put("delete", "true");
        } else {
            p.put("move", s.doneFolder());
        }
        p.put("errorFolder", s.errorFolder());
        if (s.include() != null && !s.include().isBlank()) {
            p.put("include", "RAW(" + regex(where, "include", s.include()) + ")");
        }
        if (!s.exclude().isBlank()) {
            p.put("exclude", "RAW(" + regex(where, "exclude", s.exclude()) + ")");
        }
        p.put("delayMillis", Long.toString(s.delay().toMillis()));
        p.put("maxFilesPerPoll", Integer.toString(s.maxFilesPerPoll()));
        return new TemplatedRoute("inbound-sftp-source", "inbound-sftp-" + id, p, beans, "sftp://" + s.username() + "@"
                + s.host() + ":" + s.port() + p.get("directoryPath") + ", " + (s.passwordSecret() != null ? "password" : "")
                + (s.passwordSecret() != null && s.privateKeySecret() != null ? " or " : "")
                + (s.privateKeySecret() != null ? "key" : "") + ", host key " + (s.strictHostKeyChecking() ? "checked" : "NOT checked")
                + ", then " + (s.after() == InboundChannelsProperties.After.DELETE ? "deleted" : "moved to " + s.doneFolder()));
    }

    private TemplatedRoute mail(String id, InboundChannelsProperties.Mail m) {
        String where = "hub.inbound.channels.mail '" + id + "'";
        require(m.host(), where + ": host is required");
        require(m.username(), where + ": username is required");
        require(m.passwordSecret(), where + ": password-secret is required");
        if (!m.protocol().equals("imap") && !m.protocol().equals("imaps")) {
            throw new IllegalStateException(where + ": protocol must be imap or imaps, not " + m.protocol());
        }
        String bean = "inboundMail." + id + ".password";
        Map<String, String> p = new LinkedHashMap<>();
        p.put("sourceId", id);
        p.put("protocol", m.protocol());
        p.put("host", m.host());
        p.put("port", Integer.toString(m.port()));
        p.put("username", m.username());
        p.put("passwordRef", "#bean:" + bean);
        p.put("folder", m.folder());
        p.put("archiveFolder", m.archiveFolder());
        p.put("errorFolder", m.errorFolder());
        String filter = "inboundMail." + id + ".filter";
        p.put("filterRef", "#bean:" + filter);
        p.put("mode", m.mode().name());
        p.put("attachmentPattern", regex(where, "attachment-pattern", m.attachmentPattern()));
        p.put("delayMillis", Long.toString(m.delay().toMillis()));
        return new TemplatedRoute("inbound-mail-source", "inbound-mail-" + id, p, Map.of(bean, secret(where, m.passwordSecret()),
                filter, new MailFilter(m.from(), m.subject(), m.sentSince(), java.time.Clock.systemUTC())),
                m.protocol() + "://" + m.username() + "@" + m.host() + ":" + m.port() + "/" + m.folder() + ", "
                        + m.mode().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + ", then moved to "
                        + m.archiveFolder());
    }

    private TemplatedRoute blob(String id, InboundChannelsProperties.Blob b) {
        String where = "hub.inbound.channels.blob '" + id + "'";
        require(b.account(), where + ": account is required");
        require(b.container(), where + ": container is required");
        require(b.connectionStringSecret(), where + ": connection-string-secret is required");
        String done = b.after() == InboundChannelsProperties.After.MOVE
                ? (b.doneContainer() == null || b.doneContainer().isBlank() ? b.container() + "-done" : b.doneContainer()) : "";
        String error = b.errorContainer() == null || b.errorContainer().isBlank() ? b.container() + "-error" : b.errorContainer();
        BlobServiceClient client;
        try {
            client = new BlobServiceClientBuilder().connectionString(secret(where, b.connectionStringSecret())).buildClient();
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(where + ": the connection string in secret '" + b.connectionStringSecret()
                    + "' is not valid");
        }
        String bean = "inboundBlob." + id + ".client";
        Map<String, String> p = new LinkedHashMap<>();
        p.put("sourceId", id);
        p.put("account", b.account());
        p.put("container", b.container());
        p.put("clientRef", "#bean:" + bean);
        if (b.prefix() != null && !b.prefix().isBlank()) {
            p.put("prefix", b.prefix());
        }
        p.put("doneContainer", done);
        p.put("errorContainer", error);
        p.put("delayMillis", Long.toString(b.delay().toMillis()));
        List<String> containers = done.isEmpty() ? List.of(error) : List.of(done, error);
        return new TemplatedRoute("inbound-blob-source", "inbound-blob-" + id, p, Map.of(bean, client),
                "blob " + b.account() + "/" + b.container() + (b.prefix() == null ? "" : "/" + b.prefix() + "*")
                        + ", then " + (done.isEmpty() ? "deleted" : "moved to " + done) + ", Failed to " + error,
                () -> containers.forEach(c -> client.getBlobContainerClient(c).createIfNotExists()));
    }

    private String secret(String where, String name) {
        try {
            return secrets.get(name).value();
        } catch (SecretStore.SecretNotFoundException e) {
            throw new IllegalStateException(where + ": " + e.getMessage());
        }
    }

    private static String checkId(String kind, String id, Set<String> ids) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalStateException("hub.inbound.channels." + kind + ": id '" + id
                    + "' must be 1-60 letters, digits, '.', '_' or '-'");
        }
        if (!ids.add(kind + ":" + id)) {
            throw new IllegalStateException("hub.inbound.channels." + kind + ": id '" + id + "' is used twice");
        }
        return id;
    }

    private static void require(String value, String message) {
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(message);
        }
    }

    private static String regex(String where, String option, String regex) {
        try {
            Pattern.compile(regex);
            return regex;
        } catch (PatternSyntaxException e) {
            throw new IllegalStateException(where + ": " + option + " is not a regular expression: " + e.getDescription());
        }
    }
}
