package io.einvoicinghub.processing.action;

import org.springframework.stereotype.Component;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Every action a feature can use, by name: each {@link Action} bean of the application. */
@Component
public class ActionCatalogue {

    private final Map<String, Action> actions = new TreeMap<>();

    public ActionCatalogue(List<Action> actions) {
        for (Action action : actions) {
            Action previous = this.actions.put(action.spec().name(), action);
            if (previous != null) {
                throw new IllegalStateException("Two actions are named '" + action.spec().name() + "': "
                        + previous.getClass().getName() + " and " + action.getClass().getName());
            }
        }
    }

    public Optional<Action> find(String name) {
        return Optional.ofNullable(actions.get(name));
    }

    public Collection<Action> all() {
        return actions.values();
    }

    public Collection<String> names() {
        return actions.keySet();
    }
}
