package io.einvoicinghub.secrets;

import com.azure.core.http.HttpClient;
import com.azure.core.http.netty.NettyAsyncHttpClientBuilder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;

import javax.net.ssl.SSLException;
import java.security.cert.X509Certificate;

/** The Azure SDK's own (Netty) HTTP client, trusting only the given test certificate: what production uses, pointed at a test server. */
public final class TrustingHttpClient {

    private TrustingHttpClient() {
    }

    public static HttpClient trusting(X509Certificate certificate) {
        try {
            SslContext ssl = SslContextBuilder.forClient().trustManager(certificate).build();
            reactor.netty.http.client.HttpClient netty = reactor.netty.http.client.HttpClient.create()
                    .secure(spec -> spec.sslContext(ssl));
            return new NettyAsyncHttpClientBuilder(netty).build();
        } catch (SSLException e) {
            throw new IllegalStateException(e);
        }
    }
}
