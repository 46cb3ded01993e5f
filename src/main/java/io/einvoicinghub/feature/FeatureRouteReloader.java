package io.einvoicinghub.feature;

import io.einvoicinghub.HubProperties;
import org.apache.camel.CamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Development mode ({@code hub.features.watch=true}, profile {@code dev}): a feature's route file that changes
 * on disk replaces that feature's route in the running hub. Only feature routes are reloaded, one file at a
 * time, so the API and the worker keep running (Camel's own whole-context reload restarts the REST routes).
 */
@Component
@ConditionalOnProperty(prefix = "hub.features", name = "watch", havingValue = "true")
public class FeatureRouteReloader {

    private static final Logger LOG = LoggerFactory.getLogger(FeatureRouteReloader.class);

    private final CamelContext camelContext;
    private final Path featuresDir;
    private final Map<Path, FileTime> seen = new HashMap<>();

    public FeatureRouteReloader(CamelContext camelContext, HubProperties properties) {
        this.camelContext = camelContext;
        this.featuresDir = properties.routesDir().resolve("features");
        routeFiles().forEach(file -> seen.put(file, modified(file)));
    }

    @Scheduled(initialDelay = 2000, fixedDelay = 1000)
    public synchronized void reloadChangedFeatureRoutes() {
        for (Path file : routeFiles()) {
            FileTime now = modified(file);
            if (now.equals(seen.get(file))) {
                continue;
            }
            seen.put(file, now);
            String routeId = "feature-" + file.getParent().getFileName();
            try {
                // Camel's updateRoutes does not replace templated routes: remove the feature's route, load the file
                if (camelContext.getRoute(routeId) != null) {
                    camelContext.getRouteController().stopRoute(routeId);
                    camelContext.removeRoute(routeId);
                }
                PluginHelper.getRoutesLoader(camelContext).loadRoutes(ResourceHelper.resolveResource(camelContext, "file:" + file));
                LOG.info("Reloaded {} (route {} is {})", file, routeId,
                        camelContext.getRouteController().getRouteStatus(routeId));
            } catch (Exception e) {
                LOG.warn("Could not reload {}: {}; documents for this feature fail until the file is fixed", file,
                        e.getMessage());
            }
        }
    }

    private List<Path> routeFiles() {
        if (!Files.isDirectory(featuresDir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(featuresDir, 2)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".camel.yaml")).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }
}
