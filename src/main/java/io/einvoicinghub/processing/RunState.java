package io.einvoicinghub.processing;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.einvoicinghub.submission.Verdict;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a run's later steps need, checkpointed in the database after every step (table
 * {@code submission_run}): which steps completed, in order, the run's variables, the current document (a
 * stored file, never only the exchange body), the next file number, the finding counts, the verdict, and
 * the timer of a step that is waiting. A resumed run (after a crash, a restart or a Pending wait) reads it
 * and skips what is done.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RunState {

    /** Names of the completed steps, in completion order (a restart-from removes a tail of it). */
    public List<String> completed = new ArrayList<>();
    public Map<String, String> variables = new LinkedHashMap<>();
    /** The document steps work on: the storage key of the file the last transform (or load) produced. */
    public Document document;
    /** The file the ERP gets as the result (export-result); null: the last output. */
    public String resultName;
    public int nextFileNumber;
    public int blocking;
    public int warnings;
    public Verdict verdict = Verdict.NotRequested;
    /** A verdict-related message (e.g. the authority's rejection) to end the run with. */
    public String outcomeMessage;
    /** The step now waiting (Pending), and its schedule. */
    public Waiting waiting;
    /** Step whose external call had started when the state was written: after a crash its outcome is unknown. */
    public String inFlight;
    /** Restarts done per step that declares restartFrom. */
    public Map<String, Integer> restarts = new LinkedHashMap<>();
    /** Highest log-row ids at the last checkpoint: rows above them belong to an interrupted step. */
    public long findingMark;
    public long artifactMark;
    public long outputMark;

    public record Document(String key, String name, String contentType) {
    }

    /**
     * @param since     when the step started waiting
     * @param polls     how many times the step has looked so far
     * @param nextCheck when it looks again (or gives up, for a callback)
     */
    public record Waiting(String step, OffsetDateTime since, int polls, OffsetDateTime nextCheck, String message) {
    }

    @JsonIgnore
    public boolean isCompleted(String step) {
        return completed.contains(step);
    }

    /** Forgets {@code step} and every step completed after it: the run does them again. */
    public void restartFrom(String step) {
        int index = completed.indexOf(step);
        if (index >= 0) {
            completed.subList(index, completed.size()).clear();
        }
    }
}
