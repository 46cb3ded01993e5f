// Swagger UI (served from the hub's own jar) on the hub's OpenAPI spec; calls carry the console's API key.
'use strict';
window.ui = SwaggerUIBundle({
  url: '/api/v1/openapi.yaml',
  dom_id: '#swagger-ui',
  deepLinking: true,
  requestInterceptor: request => {
    const key = sessionStorage.getItem('einvoicing-hub.apiKey');
    if (key && !request.headers['X-API-Key'] && !request.headers.Authorization) {
      request.headers.Authorization = 'Bearer ' + key;
    }
    return request;
  }
});
