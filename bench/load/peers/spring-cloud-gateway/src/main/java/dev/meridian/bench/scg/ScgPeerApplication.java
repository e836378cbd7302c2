package dev.meridian.bench.scg;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Spring Cloud Gateway as the proxy under test in {@code bench/load/compare.sh}: one route
 * {@code /**} to the origin, everything else in {@code application.yml}.
 */
@SpringBootApplication
public class ScgPeerApplication {

    public static void main(String[] args) {
        // One event loop shared by the server and the upstream client, like the other peers (one
        // nginx worker, one HAProxy thread, one Meridian loop). reactor-netty's own default is
        // max(CPUs, 4) loops, i.e. 4 loops time-sharing the single pinned core. Override with
        // -Dreactor.netty.ioWorkerCount=N.
        if (System.getProperty("reactor.netty.ioWorkerCount") == null) {
            System.setProperty("reactor.netty.ioWorkerCount", "1");
        }
        SpringApplication.run(ScgPeerApplication.class, args);
    }
}
