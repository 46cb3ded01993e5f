package io.einvoicinghub.ksef;

/**
 * A started authentication ({@code POST /auth/ksef-token}, 202): poll {@code GET /auth/{referenceNumber}} with
 * the temporary authentication token, then redeem it once for the access and refresh tokens.
 */
public record AuthOperation(String referenceNumber, BearerToken authenticationToken) {
}
