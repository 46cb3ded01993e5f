package io.einvoicinghub.feature;

import io.einvoicinghub.HubProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The installed features: every {@code routes/features/<id>/feature.yaml}. Decides which feature
 * processes a document: the context's feature hint if given, otherwise the one feature whose
 * applicability rules match; none or several matching is an error the ERP sees at once.
 */
@Component
public class FeatureRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(FeatureRegistry.class);

    private final Path featuresDir;
    private final boolean watch;
    private volatile Map<String, FeatureDescriptor> features = Map.of();
    private volatile Map<Path, FileTime> loadedStamps = Map.of();

    public FeatureRegistry(HubProperties properties) {
        this.featuresDir = properties.routesDir().resolve("features");
        this.watch = properties.features().watch();
        reload();
    }

    public Collection<FeatureDescriptor> all() {
        refreshIfChanged();
        return features.values();
    }

    public Optional<FeatureDescriptor> find(String id) {
        refreshIfChanged();
        return Optional.ofNullable(features.get(id));
    }

    public FeatureDescriptor select(SubmissionContext context) {
        refreshIfChanged();
        if (context.featureHint() != null && !context.featureHint().isBlank()) {
            FeatureDescriptor hinted = features.get(context.featureHint());
            if (hinted == null) {
                throw new FeatureSelectionException(FeatureSelectionException.Reason.UNKNOWN_FEATURE,
                        "Unknown feature '" + context.featureHint() + "'; installed features: " + features.keySet());
            }
            return hinted;
        }
        List<FeatureDescriptor> matching = features.values().stream()
                .filter(f -> f.applicability().matches(context)).toList();
        if (matching.isEmpty()) {
            throw new FeatureSelectionException(FeatureSelectionException.Reason.NO_FEATURE_APPLIES,
                    "No feature applies to this document (country=" + context.country() + ", documentType="
                            + context.documentType() + ", variables=" + context.variables()
                            + "); set context.featureHint or adjust the applicability rules");
        }
        if (matching.size() > 1) {
            throw new FeatureSelectionException(FeatureSelectionException.Reason.AMBIGUOUS,
                    "Ambiguous applicability: features " + matching.stream().map(FeatureDescriptor::id).toList()
                            + " all apply; set context.featureHint or make their rules exclusive");
        }
        return matching.get(0);
    }

    private void refreshIfChanged() {
        if (watch && !stamps().equals(loadedStamps)) {
            LOG.info("Feature descriptors changed on disk; reloading");
            reload();
        }
    }

    private synchronized void reload() {
        Map<String, FeatureDescriptor> loaded = new LinkedHashMap<>();
        for (Path file : descriptorFiles()) {
            FeatureDescriptor descriptor = FeatureDescriptorReader.read(file);
            FeatureDescriptor previous = loaded.put(descriptor.id(), descriptor);
            if (previous != null) {
                throw new IllegalStateException("Feature id '" + descriptor.id() + "' is declared twice: "
                        + previous.folder() + " and " + descriptor.folder());
            }
        }
        features = Map.copyOf(loaded);
        loadedStamps = stamps();
        LOG.info("Loaded {} feature(s) from {}: {}", loaded.size(), featuresDir, loaded.keySet());
    }

    private List<Path> descriptorFiles() {
        if (!Files.isDirectory(featuresDir)) {
            LOG.warn("Feature folder {} does not exist; no feature is installed", featuresDir.toAbsolutePath());
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(featuresDir)) {
            return dirs.map(d -> d.resolve("feature.yaml")).filter(Files::isRegularFile)
                    .sorted(Comparator.naturalOrder()).toList();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot list features in " + featuresDir, e);
        }
    }

    private Map<Path, FileTime> stamps() {
        Map<Path, FileTime> stamps = new LinkedHashMap<>();
        for (Path file : descriptorFiles()) {
            try {
                stamps.put(file, Files.getLastModifiedTime(file));
            } catch (IOException e) {
                stamps.put(file, FileTime.fromMillis(0));
            }
        }
        return stamps;
    }

    /** Reads one feature.yaml; errors name the file and the offending entry. */
    static final class FeatureDescriptorReader {

        private FeatureDescriptorReader() {
        }

        static FeatureDescriptor read(Path file) {
            Map<String, Object> yaml;
            try (Reader reader = Files.newBufferedReader(file)) {
                yaml = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
            } catch (IOException | RuntimeException e) {
                throw new IllegalStateException("Cannot read feature descriptor " + file + ": " + e.getMessage(), e);
            }
            if (yaml == null) {
                throw new IllegalStateException("Empty feature descriptor " + file);
            }
            String id = required(yaml, "id", file);
            String folderName = file.getParent().getFileName().toString();
            if (!id.equals(folderName)) {
                throw new IllegalStateException("Feature id '" + id + "' must equal its folder name '" + folderName + "' (" + file + ")");
            }
            ApplicabilityRule rule = yaml.containsKey("applicability")
                    ? parseRule(yaml.get("applicability"), file)
                    : new ApplicabilityRule.All(List.of());
            return new FeatureDescriptor(id, required(yaml, "version", file),
                    String.valueOf(yaml.getOrDefault("description", "")), rule, file.getParent());
        }

        private static String required(Map<String, Object> yaml, String key, Path file) {
            Object value = yaml.get(key);
            if (value == null || value.toString().isBlank()) {
                throw new IllegalStateException("Feature descriptor " + file + " lacks '" + key + "'");
            }
            return value.toString();
        }

        @SuppressWarnings("unchecked")
        private static ApplicabilityRule parseRule(Object node, Path file) {
            if (!(node instanceof Map<?, ?> map)) {
                throw new IllegalStateException("Applicability rule must be a mapping in " + file + ": " + node);
            }
            if (map.containsKey("all")) {
                return new ApplicabilityRule.All(children(map.get("all"), file));
            }
            if (map.containsKey("any")) {
                return new ApplicabilityRule.Any(children(map.get("any"), file));
            }
            Object field = map.get("field");
            Object operator = map.get("operator");
            if (field == null || operator == null) {
                throw new IllegalStateException("Condition needs 'field' and 'operator' in " + file + ": " + map);
            }
            List<String> values = new ArrayList<>();
            if (map.get("values") instanceof List<?> list) {
                list.forEach(v -> values.add(String.valueOf(v)));
            } else if (map.containsKey("value")) {
                values.add(String.valueOf(map.get("value")));
            }
            ApplicabilityRule.Operator op = parseOperator(operator.toString(), file);
            boolean caseSensitive = Boolean.TRUE.equals(map.get("caseSensitive"));
            ApplicabilityRule.Condition condition = new ApplicabilityRule.Condition(field.toString(), op, values, caseSensitive);
            condition.matches(new SubmissionContext("x", "x", "x", "x", null, Map.of())); // fails fast on unknown fields
            return condition;
        }

        private static List<ApplicabilityRule> children(Object list, Path file) {
            if (!(list instanceof List<?> items)) {
                throw new IllegalStateException("'all'/'any' must hold a list in " + file);
            }
            return items.stream().map(item -> parseRule(item, file)).toList();
        }

        private static ApplicabilityRule.Operator parseOperator(String name, Path file) {
            return switch (name) {
                case "equals" -> ApplicabilityRule.Operator.EQUALS;
                case "notEquals" -> ApplicabilityRule.Operator.NOT_EQUALS;
                case "contains" -> ApplicabilityRule.Operator.CONTAINS;
                case "beginsWith" -> ApplicabilityRule.Operator.BEGINS_WITH;
                case "in" -> ApplicabilityRule.Operator.IN;
                case "notIn" -> ApplicabilityRule.Operator.NOT_IN;
                case "exists" -> ApplicabilityRule.Operator.EXISTS;
                case "notExists" -> ApplicabilityRule.Operator.NOT_EXISTS;
                default -> throw new IllegalStateException("Unknown operator '" + name + "' in " + file
                        + " (use equals, notEquals, contains, beginsWith, in, notIn, exists, notExists)");
            };
        }
    }
}
