package io.einvoicinghub.ksef;

/**
 * {@code GET /auth/{referenceNumber}}: 100 in progress, 200 success; 4xx codes (415 no permissions, 425
 * revoked, 450 wrong token, 460 certificate, 470, 480) are final refusals; 500/550 may be retried with a
 * new authentication.
 */
public record AuthStatus(KsefStatus status) {

    public boolean inProgress() {
        return status.code() == 100;
    }

    public boolean succeeded() {
        return status.code() == 200;
    }

    public boolean refused() {
        return status.code() >= 400 && status.code() < 500;
    }
}
