package io.einvoicinghub.ksef;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** KSeF number format and CRC-8, checked against the Ministry's published examples (numer-ksef.md, UPO samples). */
class KsefNumberTest {

    @Test
    void ministryExamplesAreValid() {
        assertThat(KsefNumber.isValid("5265877635-20250826-0100001AF629-AF")).isTrue();
        assertThat(KsefNumber.isValid("5265877635-20250916-0200A0D6723E-C2")).isTrue();
    }

    @Test
    void checksumIsComputedAsPublished() {
        assertThat(KsefNumber.of("5265877635", "20250826", "0100001AF629")).isEqualTo("5265877635-20250826-0100001AF629-AF");
    }

    @Test
    void wrongChecksumOrLengthIsInvalid() {
        assertThat(KsefNumber.isValid("5265877635-20250826-0100001AF629-AE")).isFalse();
        assertThat(KsefNumber.isValid("5265877635-20250826-0100001AF62-AF")).isFalse();
    }
}
