package io.einvoicinghub.inbound.channel;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;
import java.util.List;

/**
 * {@code hub.inbound.channels.*}: the SFTP folders, mailboxes and Blob containers the hub takes vendor invoices from
 * (docs/inbound.md). Each entry becomes one route from a template in {@code routes/inbound/}; credentials are names of
 * secret-store entries, never values.
 *
 * @param sftp        SFTP drop folders
 * @param mail        IMAP(S) mailboxes
 * @param blob        Azure Blob containers used as drop folders
 * @param resumeAfter a receipt still Received this long after its last change was interrupted (a crash between
 *                    storing the original and finishing its processing) and is resumed from its stored original
 * @param resumeEvery how often interrupted receipts are looked for
 */
@ConfigurationProperties(prefix = "hub.inbound.channels")
public record InboundChannelsProperties(List<Sftp> sftp, List<Mail> mail, List<Blob> blob, Duration resumeAfter,
                                        Duration resumeEvery) {

    public InboundChannelsProperties {
        sftp = sftp == null ? List.of() : List.copyOf(sftp);
        mail = mail == null ? List.of() : List.copyOf(mail);
        blob = blob == null ? List.of() : List.copyOf(blob);
        resumeAfter = resumeAfter == null ? Duration.ofMinutes(2) : resumeAfter;
        resumeEvery = resumeEvery == null ? Duration.ofSeconds(30) : resumeEvery;
    }

    /** What happens to a source file once its receipt is committed. */
    public enum After { MOVE, DELETE }

    /**
     * One SFTP folder.
     *
     * @param id                     names the route ({@code inbound-sftp-<id>}) and the source in receipts
     * @param directory              folder to poll, relative to the login directory (empty: the login directory)
     * @param passwordSecret         secret-store entry holding the password (password authentication)
     * @param privateKeySecret       secret-store entry holding a PEM private key (public-key authentication)
     * @param privateKeyPassphraseSecret entry holding the key's passphrase, when it has one
     * @param knownHosts             known_hosts lines for the server (OpenSSH format; {@code [host]:port} for ports other than 22)
     * @param knownHostsSecret       or the secret-store entry holding them
     * @param strictHostKeyChecking  refuse a server whose host key is not in known_hosts (default true)
     * @param after                  MOVE (to {@code doneFolder}, default) or DELETE once the receipt is committed
     * @param doneFolder             where taken files go, relative to {@code directory} (default {@code done})
     * @param errorFolder            where files whose receipt Failed go (default {@code error})
     * @param include                regular expression a file name must match (default: every file)
     * @param exclude                regular expression of names left alone: files still being uploaded
     * @param delay                  time between polls (default 10 s)
     * @param maxFilesPerPoll        files taken per poll (default 100)
     */
    public record Sftp(String id, String host, Integer port, String username, String directory, String passwordSecret,
                       String privateKeySecret, String privateKeyPassphraseSecret, String knownHosts,
                       String knownHostsSecret, Boolean strictHostKeyChecking, After after, String doneFolder,
                       String errorFolder, String include, String exclude, Duration delay, Integer maxFilesPerPoll) {
        public Sftp {
            port = port == null ? 22 : port;
            directory = directory == null ? "" : directory;
            strictHostKeyChecking = strictHostKeyChecking == null || strictHostKeyChecking;
            after = after == null ? After.MOVE : after;
            doneFolder = doneFolder == null || doneFolder.isBlank() ? "done" : doneFolder;
            errorFolder = errorFolder == null || errorFolder.isBlank() ? "error" : errorFolder;
            exclude = exclude == null ? ".*\\.(part|tmp|filepart)" : exclude;
            delay = delay == null ? Duration.ofSeconds(10) : delay;
            maxFilesPerPoll = maxFilesPerPoll == null ? 100 : maxFilesPerPoll;
        }
    }

    /** How the attachments of one mail become receipts. */
    public enum MailMode {
        /** every attachment whose name matches is an invoice of its own */
        EACH_ATTACHMENT,
        /** the first matching attachment is the invoice; the mail's other attachments are kept as its attachments */
        MAIN_DOCUMENT
    }

    /**
     * One mailbox.
     *
     * @param protocol          imap or imaps (default imaps)
     * @param passwordSecret    secret-store entry holding the mailbox password
     * @param folder            folder to read (default INBOX)
     * @param archiveFolder     where a taken mail is moved (default Archive)
     * @param errorFolder       where a mail that yielded no receipt, or a Failed one, is moved (default Error)
     * @param from              only mails whose sender contains this text (IMAP search)
     * @param subject           only mails whose subject contains this text (IMAP search)
     * @param sentSince         only mails sent within this period before each poll (e.g. 7d)
     * @param attachmentPattern regular expression (case-insensitive) an attachment name must match to be read
     * @param mode              EACH_ATTACHMENT (default) or MAIN_DOCUMENT
     * @param delay             time between polls (default 30 s)
     */
    public record Mail(String id, String protocol, String host, Integer port, String username, String passwordSecret,
                       String folder, String archiveFolder, String errorFolder, String from, String subject,
                       Duration sentSince, String attachmentPattern, MailMode mode, Duration delay) {
        public Mail {
            protocol = protocol == null || protocol.isBlank() ? "imaps" : protocol;
            port = port == null ? ("imap".equals(protocol) ? 143 : 993) : port;
            folder = folder == null || folder.isBlank() ? "INBOX" : folder;
            archiveFolder = archiveFolder == null || archiveFolder.isBlank() ? "Archive" : archiveFolder;
            errorFolder = errorFolder == null || errorFolder.isBlank() ? "Error" : errorFolder;
            attachmentPattern = attachmentPattern == null || attachmentPattern.isBlank() ? ".*\\.(xml|pdf|p7m)" : attachmentPattern;
            mode = mode == null ? MailMode.EACH_ATTACHMENT : mode;
            delay = delay == null ? Duration.ofSeconds(30) : delay;
        }
    }

    /**
     * One Blob container used as a drop folder.
     *
     * @param account                  storage account name
     * @param container                container polled
     * @param prefix                   only blobs whose name starts with this (a "folder")
     * @param connectionStringSecret   secret-store entry holding the account's connection string
     * @param after                    DELETE (default) or MOVE to {@code doneContainer}
     * @param doneContainer            where taken blobs are copied before they are deleted (MOVE)
     * @param errorContainer           where blobs whose receipt Failed are copied before they are deleted
     * @param delay                    time between polls (default 30 s)
     */
    public record Blob(String id, String account, String container, String prefix, String connectionStringSecret,
                       After after, String doneContainer, String errorContainer, Duration delay) {
        public Blob {
            after = after == null ? After.DELETE : after;
            delay = delay == null ? Duration.ofSeconds(30) : delay;
        }
    }
}
