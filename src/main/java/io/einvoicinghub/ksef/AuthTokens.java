package io.einvoicinghub.ksef;

/** Access token (minutes) and refresh token (up to 7 days) from {@code POST /auth/token/redeem}. */
public record AuthTokens(BearerToken accessToken, BearerToken refreshToken) {
}
