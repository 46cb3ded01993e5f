package io.einvoicinghub.inbound.channel;

import io.einvoicinghub.inbound.InboundIntake;
import io.einvoicinghub.inbound.InboundReceipt;
import io.einvoicinghub.inbound.ReceiptStatus;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.springframework.stereotype.Component;

/**
 * Hands one file from a drop folder (SFTP, Blob) to {@link InboundIntake}. Returns once the original is stored and the
 * receipt committed, so the consumer may then move or delete the source file; a Failed receipt is thrown as
 * {@link ReceiptFailedException} so the file goes to the error folder instead.
 */
@Component
public class FileDropIntake {

    /** Header the channel routes set: the source's configured id. */
    public static final String SOURCE = "hubInboundSource";
    public static final String RECEIPT_ID = "hubInboundReceiptId";
    public static final String RECEIPT_STATUS = "hubInboundReceiptStatus";

    private final InboundIntake intake;

    public FileDropIntake(InboundIntake intake) {
        this.intake = intake;
    }

    /** The source reference is the source id and the path below its folder: the same file there again is the same receipt. */
    public void sftpFile(Exchange exchange) throws InvalidPayloadException {
        String path = exchange.getMessage().getHeader(Exchange.FILE_NAME, String.class);
        String name = exchange.getMessage().getHeader(Exchange.FILE_NAME_ONLY, String.class);
        take(exchange, "sftp", "sftp:" + source(exchange) + ":" + path, name);
        exchange.getMessage().setBody(null); // the original is in storage; the consumer needs only the headers now
    }

    /** The body stays: the route copies it to the done or error container. */
    public void blob(Exchange exchange) throws InvalidPayloadException {
        String blobName = exchange.getMessage().getHeader("CamelAzureStorageBlobBlobName", String.class);
        String name = blobName == null ? null : blobName.substring(blobName.lastIndexOf('/') + 1);
        take(exchange, "blob", "blob:" + source(exchange) + ":" + blobName, name);
    }

    private void take(Exchange exchange, String channel, String sourceReference, String fileName)
            throws InvalidPayloadException {
        byte[] content = exchange.getMessage().getMandatoryBody(byte[].class);
        InboundIntake.IntakeResult result = intake.receive(channel, sourceReference, fileName, content);
        InboundReceipt receipt = result.receipt();
        exchange.getMessage().setHeader(RECEIPT_ID, receipt.id());
        exchange.getMessage().setHeader(RECEIPT_STATUS, receipt.status().label());
        if (receipt.status() == ReceiptStatus.FAILED) {
            throw new ReceiptFailedException("receipt " + receipt.id() + " is Failed: " + receipt.reason());
        }
    }

    private static String source(Exchange exchange) {
        return exchange.getMessage().getHeader(SOURCE, String.class);
    }
}
