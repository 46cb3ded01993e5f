package io.einvoicinghub.submission;

/**
 * Other content under an ERP document id the legal entity has already submitted, without saying it is a new
 * version: most often the same invoice re-serialised by a tool, so the hub points at the existing submission
 * instead of creating a second one.
 */
public class DocumentAlreadySubmittedException extends SubmissionRejectedException {

    private final String existingId;

    public DocumentAlreadySubmittedException(String erpDocumentId, String existingId) {
        super(409, "Document already submitted", "ERP document '" + erpDocumentId + "' was already submitted as "
                + existingId + " with other content; to send a corrected document set context.newVersion to true");
        this.existingId = existingId;
    }

    public String existingId() {
        return existingId;
    }
}
