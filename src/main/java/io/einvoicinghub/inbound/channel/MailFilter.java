package io.einvoicinghub.inbound.channel;

import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.search.SearchTerm;

import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.Locale;

/**
 * The mail source's filters: sender contains, subject contains (both ignoring case), sent within a period before now.
 * The mail consumer's {@code searchTerm}. Matched by the client on each mail's headers, not sent as an IMAP SEARCH:
 * servers differ in how (and whether) they search sender and subject substrings, and an invoice mailbox is small.
 */
public class MailFilter extends SearchTerm {

    private static final long serialVersionUID = 1L;

    private final String from;
    private final String subject;
    private final Duration sentWithin;
    private final transient Clock clock;

    public MailFilter(String from, String subject, Duration sentWithin, Clock clock) {
        this.from = blankToNull(from);
        this.subject = blankToNull(subject);
        this.sentWithin = sentWithin;
        this.clock = clock;
    }

    @Override
    public boolean match(Message message) {
        try {
            if (from != null && !senderContains(message.getFrom(), from)) {
                return false;
            }
            if (subject != null && (message.getSubject() == null
                    || !message.getSubject().toLowerCase(Locale.ROOT).contains(subject))) {
                return false;
            }
            if (sentWithin != null) {
                Date sent = message.getSentDate() != null ? message.getSentDate() : message.getReceivedDate();
                return sent != null && !sent.toInstant().isBefore(clock.instant().minus(sentWithin));
            }
            return true;
        } catch (MessagingException e) {
            return false; // a mail whose headers cannot be read is left in the folder
        }
    }

    private static boolean senderContains(Address[] senders, String text) {
        if (senders == null) {
            return false;
        }
        for (Address a : senders) {
            String s = a instanceof InternetAddress ia ? ia.getAddress() + " " + ia.getPersonal() : a.toString();
            if (s.toLowerCase(Locale.ROOT).contains(text)) {
                return true;
            }
        }
        return false;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip().toLowerCase(Locale.ROOT);
    }

    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
