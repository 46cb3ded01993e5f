package io.einvoicinghub.ksef;

import java.util.List;

/**
 * One invoice in KSeF's repository as {@code POST /invoices/query/metadata} lists it (the fields the hub reads):
 * what a KSeF import channel needs to download each purchase invoice once.
 */
public record InvoiceMetadata(String ksefNumber, String invoiceNumber, String issueDate, String sellerNip, String buyerNip,
                              String permanentStorageDate, String invoiceHash) {

    /**
     * One page of the answer.
     *
     * @param permanentStorageHwmDate for PermanentStorage queries: the point up to which the repository is complete
     */
    public record Page(List<InvoiceMetadata> invoices, boolean hasMore, boolean truncated, String permanentStorageHwmDate) {
    }
}
