package io.einvoicinghub.ksef;

import java.util.List;

/** One entry of a KSeF error answer (ExceptionDetails / ApiError): e.g. 21403 "Nieprawidłowy skrót pliku." */
public record KsefError(int code, String description, List<String> details) {

    public KsefError {
        details = details == null ? List.of() : List.copyOf(details);
    }

    @Override
    public String toString() {
        return code + " " + description + (details.isEmpty() ? "" : " " + details);
    }
}
