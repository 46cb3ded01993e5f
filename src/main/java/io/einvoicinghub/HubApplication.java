package io.einvoicinghub;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class HubApplication {

    public static void main(String[] args) {
        try {
            SpringApplication.run(HubApplication.class, args);
        } catch (RuntimeException e) {
            // a hub that failed to start must not linger half-started (broker and Camel threads keep a JVM alive)
            System.exit(1);
        }
    }
}
