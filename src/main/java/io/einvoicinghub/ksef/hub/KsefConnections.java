package io.einvoicinghub.ksef.hub;

import io.einvoicinghub.ksef.AuthTokens;
import io.einvoicinghub.ksef.BearerToken;
import io.einvoicinghub.ksef.ContextIdentifier;
import io.einvoicinghub.ksef.KsefClient;
import io.einvoicinghub.ksef.KsefEnvironment;
import io.einvoicinghub.ksef.KsefException;
import io.einvoicinghub.ksef.OnlineSession;
import io.einvoicinghub.ksef.PublicKeyCertificate;
import io.einvoicinghub.secrets.SecretStore;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The hub's logins and online sessions at KSeF, shared by every run of one taxpayer (NIP) in one environment:
 * KSeF expects one session for many invoices, and a login per invoice would soon meet its rate limits. The
 * KSeF token is read from the secret store by name at each login (a rotated token is used at the next one);
 * access tokens and session keys live only in memory, never in a checkpoint or a stored file. A session is
 * replaced before it expires and closed when the hub stops (KSeF then issues the session's collective UPO).
 */
@Component
public class KsefConnections {

    private static final Logger LOG = LoggerFactory.getLogger(KsefConnections.class);
    /** Renew a token or a session this long before KSeF says it ends. */
    private static final Duration MARGIN = Duration.ofMinutes(2);

    /** Logins are per credential: another legal entity's token never serves a run, even for the same NIP. */
    private record Key(String environment, String nip, String tokenSecret) {
    }

    private record Login(AuthTokens tokens, Instant accessValidUntil) {
    }

    private final SecretStore secrets;
    private final Map<String, KsefClient> clients = new ConcurrentHashMap<>();
    private final Map<Key, Login> logins = new ConcurrentHashMap<>();
    private final Map<Key, OnlineSession> sessions = new ConcurrentHashMap<>();

    public KsefConnections(SecretStore secrets) {
        this.secrets = secrets;
    }

    public KsefClient client(String environment) {
        return clients.computeIfAbsent(environment, e -> new KsefClient(KsefEnvironment.of(e)));
    }

    /** A valid access token for {@code nip}: the cached one, else a new login with the KSeF token named {@code tokenSecret}. */
    public BearerToken accessToken(String environment, String nip, String tokenSecret) {
        Key key = new Key(environment, nip, tokenSecret);
        Login login = logins.get(key);
        if (login != null && Instant.now().plus(MARGIN).isBefore(login.accessValidUntil())) {
            return login.tokens().accessToken();
        }
        synchronized (lock(key)) {
            login = logins.get(key);
            if (login != null && Instant.now().plus(MARGIN).isBefore(login.accessValidUntil())) {
                return login.tokens().accessToken();
            }
            char[] token = secrets.get(tokenSecret).value().toCharArray();
            try {
                AuthTokens tokens = client(environment).authenticate(ContextIdentifier.nip(nip), token,
                        Duration.ofMillis(200), Duration.ofSeconds(30));
                logins.put(key, new Login(tokens, until(tokens.accessToken().validUntil(), Duration.ofMinutes(10))));
                return tokens.accessToken();
            } finally {
                java.util.Arrays.fill(token, '\0');
            }
        }
    }

    /** The open online session of {@code nip} to send in: the current one, else a new one. */
    public OnlineSession session(String environment, String nip, String tokenSecret) {
        Key key = new Key(environment, nip, tokenSecret);
        OnlineSession session = sessions.get(key);
        if (session != null && Instant.now().plus(MARGIN).isBefore(until(session.validUntil(), Duration.ofHours(1)))) {
            return session;
        }
        synchronized (lock(key)) {
            session = sessions.get(key);
            if (session != null && Instant.now().plus(MARGIN).isBefore(until(session.validUntil(), Duration.ofHours(1)))) {
                return session;
            }
            KsefClient client = client(environment);
            PublicKeyCertificate keyCertificate = client.publicKeyFor(PublicKeyCertificate.SYMMETRIC_KEY_ENCRYPTION);
            OnlineSession opened = client.openOnlineSession(accessToken(environment, nip, tokenSecret), keyCertificate);
            sessions.put(key, opened);
            if (session != null) {
                close(key, session);
            }
            LOG.info("KSeF online session {} opened for NIP {} ({})", opened.referenceNumber(), nip, environment);
            return opened;
        }
    }

    /** Forgets the login and session of {@code nip} after KSeF refused them (401, session closed or unknown). */
    public void forget(String environment, String nip, String tokenSecret) {
        Key key = new Key(environment, nip, tokenSecret);
        logins.remove(key);
        sessions.remove(key);
    }

    private final Map<Key, Object> locks = new ConcurrentHashMap<>();

    private Object lock(Key key) {
        return locks.computeIfAbsent(key, k -> new Object());
    }

    private void close(Key key, OnlineSession session) {
        try {
            client(key.environment()).closeSession(accessToken(key.environment(), key.nip(), key.tokenSecret()), session.referenceNumber());
        } catch (KsefException | SecretStore.SecretNotFoundException e) {
            LOG.info("KSeF session {} not closed: {}", session.referenceNumber(), e.getMessage());
        }
    }

    /** Open sessions are closed when the hub stops; KSeF closes forgotten ones itself when they expire. */
    @PreDestroy
    public void closeAll() {
        sessions.forEach((key, session) -> {
            Login login = logins.get(key);
            if (login == null) {
                return;
            }
            try {
                client(key.environment()).closeSession(login.tokens().accessToken(), session.referenceNumber());
            } catch (RuntimeException e) {
                LOG.info("KSeF session {} not closed at shutdown: {}", session.referenceNumber(), e.getMessage());
            }
        });
        sessions.clear();
    }

    private static Instant until(String validUntil, Duration fallback) {
        if (validUntil == null || validUntil.isBlank()) {
            return Instant.now().plus(fallback);
        }
        try {
            return OffsetDateTime.parse(validUntil).toInstant();
        } catch (RuntimeException e) {
            return Instant.now().plus(fallback);
        }
    }
}
