package io.einvoicinghub.api;

/** One error in a request, located by a JSON pointer into the submitted body (RFC 6901). */
public record ApiError(String pointer, String message) {
}
