package io.einvoicinghub.security;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ApiKeyFilterTest {

    private static MockHttpServletResponse call(ApiKeyFilter filter, String method, String path, String header, String value)
            throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest(method, path);
        if (header != null) {
            request.addHeader(header, value);
        }
        MockHttpServletResponse response = new MockHttpServletResponse();
        filter.doFilter(request, response, new MockFilterChain());
        return response;
    }

    @Test
    void withKeysConfiguredOnlyAPresentedKeyPasses() throws Exception {
        ApiKeyFilter filter = new ApiKeyFilter(new ApiSecurityProperties(List.of("k-one", "k-two")));

        MockHttpServletResponse missing = call(filter, "POST", "/api/v1/submissions", null, null);
        assertThat(missing.getStatus()).isEqualTo(401);
        assertThat(missing.getContentType()).isEqualTo("application/problem+json");
        assertThat(missing.getContentAsString()).doesNotContain("k-one");
        assertThat(call(filter, "POST", "/api/v1/submissions", "Authorization", "Bearer k-wrong").getStatus()).isEqualTo(401);
        assertThat(call(filter, "POST", "/api/v1/submissions", "Authorization", "Bearer k-two").getStatus()).isEqualTo(200);
        assertThat(call(filter, "GET", "/api/v1/submissions", "X-API-Key", "k-one").getStatus()).isEqualTo(200);
        // the spec, the schema and the health endpoint stay readable
        assertThat(call(filter, "GET", "/api/v1/openapi.yaml", null, null).getStatus()).isEqualTo(200);
        assertThat(call(filter, "GET", "/api/v1/schema/unified-submission.schema.json", null, null).getStatus()).isEqualTo(200);
        assertThat(call(filter, "GET", "/actuator/health", null, null).getStatus()).isEqualTo(200);
    }

    @Test
    void withoutKeysTheApiIsOpenAndPropertiesNeverPrintKeys() throws Exception {
        ApiKeyFilter open = new ApiKeyFilter(new ApiSecurityProperties(List.of(" ")));
        assertThat(call(open, "POST", "/api/v1/submissions", null, null).getStatus()).isEqualTo(200);
        assertThat(new ApiSecurityProperties(List.of("secret-key")).toString()).doesNotContain("secret-key");
    }
}
