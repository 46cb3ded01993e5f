package io.einvoicinghub.sdi;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * The transmitter's side of SdIRiceviFile: posts one file over mutual TLS and reads SDI's answer. Failures are
 * told apart by what they mean for the file: {@link Unknown} when SDI may have taken it (time-out, connection lost
 * after the request went out, a 5xx), {@link Refused} when it certainly did not (TLS refused, EI01, EI03),
 * {@link Unavailable} for EI02 (SDI took nothing and asks to come back later).
 */
public final class SdiClient {

    private final HttpClient http;
    private final URI endpoint;
    private final Duration timeout;

    public SdiClient(URI endpoint, SSLContext tls, Duration connectTimeout, Duration timeout) {
        this.endpoint = endpoint;
        this.timeout = timeout;
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1);
        if (tls != null) {
            builder.sslContext(tls);
        }
        this.http = builder.build();
    }

    public URI endpoint() {
        return endpoint;
    }

    /** Sends {@code file} as {@code fileName}; the answer carries SDI's IdentificativoSdI. */
    public SdiSoap.ReceiptAnswer send(String fileName, byte[] file) throws SdiException {
        HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(timeout)
                .header("Content-Type", SdiSoap.CONTENT_TYPE)
                .header("SOAPAction", "\"" + SdiSoap.RICEVI_FILE_ACTION + "\"")
                .POST(HttpRequest.BodyPublishers.ofByteArray(SdiSoap.riceviFileRequest(new SdiSoap.FileSubmission(fileName, file))))
                .build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw new Unknown("SDI did not answer within " + timeout.toMillis() + " ms; it may have received " + fileName);
        } catch (SSLHandshakeException e) {
            throw new Refused("the TLS handshake with " + endpoint.getHost() + " failed (" + e.getMessage() + ")");
        } catch (IOException e) {
            if (isTlsRefusal(e)) {
                throw new Refused("the TLS handshake with " + endpoint.getHost() + " failed (" + e.getMessage() + ")");
            }
            throw new Unknown("the connection to SDI broke (" + e.getClass().getSimpleName() + ": " + e.getMessage()
                    + "); it may have received " + fileName);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unknown("interrupted while waiting for SDI's answer about " + fileName);
        }
        if (response.statusCode() >= 500) {
            throw new Unknown("SDI answered HTTP " + response.statusCode() + " for " + fileName);
        }
        if (response.statusCode() != 200) {
            throw new Refused("SDI answered HTTP " + response.statusCode() + " for " + fileName);
        }
        SdiSoap.ReceiptAnswer answer;
        try {
            answer = SdiSoap.parseRiceviFileAnswer(response.body());
        } catch (SdiXml.SdiMessageException e) {
            throw new Unknown("SDI's answer about " + fileName + " is not a rispostaSdIRiceviFile (" + e.getMessage() + ")");
        }
        if ("EI02".equals(answer.errore())) {
            throw new Unavailable("SDI refused " + fileName + ": " + answer.errorDescription());
        }
        if (answer.errore() != null) {
            throw new Refused("SDI refused " + fileName + ": " + answer.errorDescription());
        }
        if (answer.identificativoSdI() == null || answer.identificativoSdI().isBlank()) {
            throw new Unknown("SDI's answer about " + fileName + " has no IdentificativoSdI");
        }
        return answer;
    }

    private static boolean isTlsRefusal(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof javax.net.ssl.SSLException) {
                return true;
            }
        }
        return false;
    }

    public abstract static sealed class SdiException extends Exception permits Unknown, Refused, Unavailable {
        SdiException(String message) {
            super(message);
        }
    }

    /** SDI may or may not have the file. */
    public static final class Unknown extends SdiException {
        public Unknown(String message) {
            super(message);
        }
    }

    /** SDI certainly does not have the file, and sending it again as it is will not help. */
    public static final class Refused extends SdiException {
        public Refused(String message) {
            super(message);
        }
    }

    /** SDI took nothing (EI02) and may take it later. */
    public static final class Unavailable extends SdiException {
        public Unavailable(String message) {
            super(message);
        }
    }
}
