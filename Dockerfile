# Runtime image of Meridian. Build the jar on the host first (make run, or mvn -B -q -DskipTests package):
# the image only copies it, so it needs no Maven and no build cache.
FROM eclipse-temurin:17-jre

WORKDIR /opt/meridian
COPY gateway-app/target/meridian.jar meridian.jar

# 8080: the demo's data-plane listener; 9901: management (Actuator).
EXPOSE 8080 9901

# Production JVM flags (README, "Running in production"): a small heap (the proxy's live set is
# small; raise -Xmx for many thousands of connections) and a periodic trim of freed malloc memory.
ENV JAVA_OPTS="-Xms32m -Xmx256m -XX:TrimNativeHeapInterval=5000"
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar /opt/meridian/meridian.jar \"$@\"", "meridian"]
# The demo by default; pass a config file instead, e.g. `docker run -v $PWD/proxy.toml:/etc/meridian/proxy.toml IMAGE /etc/meridian/proxy.toml`.
CMD ["--spring.profiles.active=demo"]
