package io.einvoicinghub.hardening;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

import java.util.List;

/** Every log event of every thread while a test runs, to prove what did not reach the log. */
final class LogCapture implements AutoCloseable {

    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Logger root;

    LogCapture() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        appender.setContext(context);
        appender.start();
        root.addAppender(appender);
    }

    synchronized List<ILoggingEvent> events() {
        return List.copyOf(appender.list);
    }

    /** The formatted messages plus every throwable's class, message and frames. */
    String text() {
        StringBuilder b = new StringBuilder();
        for (ILoggingEvent e : events()) {
            b.append(e.getLevel()).append(' ').append(e.getLoggerName()).append(' ').append(e.getFormattedMessage()).append('\n');
            for (var t = e.getThrowableProxy(); t != null; t = t.getCause()) {
                b.append(t.getClassName()).append(": ").append(t.getMessage()).append('\n');
                for (var frame : t.getStackTraceElementProxyArray()) {
                    b.append("\tat ").append(frame.getSTEAsString()).append('\n');
                }
            }
        }
        return b.toString();
    }

    List<ILoggingEvent> withThrowable() {
        return events().stream().filter(e -> e.getThrowableProxy() != null).toList();
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        appender.stop();
    }
}
