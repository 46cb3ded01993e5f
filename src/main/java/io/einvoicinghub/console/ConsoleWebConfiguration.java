package io.einvoicinghub.console;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The web console is static files under {@code static/console/} that call the public API with the user's own
 * credentials; the hub's root address leads to it.
 */
@Configuration(proxyBeanMethods = false)
public class ConsoleWebConfiguration implements WebMvcConfigurer {

    public static final String CONSOLE_PATH = "/console/index.html";

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addRedirectViewController("/", CONSOLE_PATH);
        registry.addRedirectViewController("/console", CONSOLE_PATH);
        registry.addRedirectViewController("/console/", CONSOLE_PATH);
    }
}
