package io.einvoicinghub.signing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs Debian's command-line tools (xmlsec1, openssl) as independent verifiers of the hub's signatures. */
public final class CommandLineTools {

    public record Result(int exitCode, String output) {
    }

    private CommandLineTools() {
    }

    public static boolean available(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            if (Path.of(dir, tool).toFile().canExecute()) {
                return true;
            }
        }
        return false;
    }

    public static Result run(Path workDir, List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not end within 60 s");
        }
        return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
