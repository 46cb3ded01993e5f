package io.einvoicinghub.submission;

import io.einvoicinghub.api.ApiError;

import java.util.List;

/** A request the hub refuses before creating anything; rendered as an RFC 9457 problem document. */
public class SubmissionRejectedException extends RuntimeException {

    private final int httpStatus;
    private final String title;
    private final List<ApiError> errors;

    public SubmissionRejectedException(int httpStatus, String title, String detail, List<ApiError> errors) {
        super(detail);
        this.httpStatus = httpStatus;
        this.title = title;
        this.errors = List.copyOf(errors);
    }

    public SubmissionRejectedException(int httpStatus, String title, String detail) {
        this(httpStatus, title, detail, List.of());
    }

    public int httpStatus() {
        return httpStatus;
    }

    public String title() {
        return title;
    }

    public List<ApiError> errors() {
        return errors;
    }
}
