package io.einvoicinghub.inbound.channel;

/**
 * A source item (file, blob, mail) was taken — its original stored, its receipt committed — but the receipt is Failed.
 * Thrown back at the channel route so the item goes to the source's error folder; the receipt keeps the reason and
 * can be reprocessed after a fix.
 */
public class ReceiptFailedException extends RuntimeException {

    public ReceiptFailedException(String message) {
        super(message);
    }
}
