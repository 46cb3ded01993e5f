package io.einvoicinghub.inbound.channel;

import io.einvoicinghub.inbound.InboundIntake;
import org.springframework.stereotype.Component;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Called by the route {@code inbound-resume-interrupted} every {@code hub.inbound.channels.resume-every}: receipts left
 * Received by a stopped or killed hub for longer than {@code resume-after} are processed again from their originals.
 */
@Component
public class InterruptedReceiptResumer {

    private static final int BATCH = 200;

    private final InboundIntake intake;
    private final InboundChannelsProperties properties;

    public InterruptedReceiptResumer(InboundIntake intake, InboundChannelsProperties properties) {
        this.intake = intake;
        this.properties = properties;
    }

    public int resume() {
        return intake.resumeInterrupted(OffsetDateTime.now(ZoneOffset.UTC).minus(properties.resumeAfter()), BATCH);
    }
}
